"""Who is speaking: a speaker's kind, canonical name, and what a pronoun refers to.

A :class:`SpeakerResolver` lives for one document. It remembers the people, bodies
and outlets mentioned so far (with the role words seen beside them: "President",
"commander", "channel"), so that "He", "the ministry", "the channel" or "The fighter"
resolve to the most recent fitting mention, and "Putin" to the "Vladimir Putin"
introduced earlier. Every decision is driven by the ``sources`` rule set and the
outlet registry; nothing here knows any particular article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimscope.nlp.entities import entities_in
from claimscope.records import PlaceKind, Speaker, SpeakerKind, Span
from claimscope.registry import OutletIndex
from claimscope.rules import SourceLexicon

RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
FIRST_PERSON = {"i", "we", "me", "us"}
_NP_RIGHT_DEPS = {"prep", "pobj", "compound", "amod", "nmod", "poss", "case", "nummod", "punct"}
_QUOTE_CHARS = "'\"‘’“”«»"
_NP_PREPOSITIONS = {"of", "with", "from", "for", "at"}
"""Prepositions that belong to a speaker's description ("the head of …", "a source at …")."""


@dataclass
class _Referent:
    """An entity the document has mentioned, as a possible antecedent."""

    speaker: Speaker
    roles: set[str] = field(default_factory=set)
    spoke: bool = False
    """Speakers of earlier claims are preferred antecedents over mere mentions."""
    mentions: int = 1
    """How often the document has named it: "the President" means the salient one."""


def noun_phrase(head: Token) -> SpacySpan:
    """The speaker's noun phrase: the head with its modifiers, without relative clauses,
    appositions or trailing commas ("The fighter, who spoke …" → "The fighter")."""
    doc = head.doc
    start = head.left_edge.i
    end = head.i
    for child in head.rights:
        name_apposition = child.dep_ == "appos" and child.pos_ == "PROPN" and child.left_edge.i == end + 1
        if not name_apposition and (child.dep_ in {"relcl", "appos", "acl", "advcl", "cc", "conj"} or child.text == ","):
            break
        if child.dep_ == "prep" and child.lower_ not in _NP_PREPOSITIONS:
            break  # "Zelenskyy during the forum in Kyiv": the phrase ends before "during"
        end = max(end, child.right_edge.i)
    while end > head.i and (doc[end].is_punct and doc[end].text not in _QUOTE_CHARS or doc[end].text == "("):
        end -= 1
    # Keep a closing parenthesis or quote only if its opener is inside.
    text = doc[start : end + 1].text
    if text.count("(") < text.count(")") or text.count("‘") < text.count("’"):
        end -= 1
    return doc[start : end + 1]


def span_of(tokens: SpacySpan) -> Span:
    return Span(tokens.start_char, tokens.end_char, tokens.text)


class SpeakerResolver:
    """Classifies and canonicalises speaker mentions within one document."""

    def __init__(self, lexicon: SourceLexicon, outlets: OutletIndex, author: str,
                 place_kind: Callable[[str], PlaceKind | None] = lambda name: None) -> None:
        self._lex = lexicon
        self._place_kind = place_kind
        self._outlets = outlets
        self.author = Speaker(name=author, kind="author")
        self._referents: list[_Referent] = []
        self._full_names: dict[str, str] = {}  # surname → "Vladimir Putin"
        self._person_roles = set(lexicon.person_roles)
        self._vague = set(lexicon.vague_heads)
        self._anonymous = set(lexicon.anonymous_heads)
        self._government = set(lexicon.government_heads)
        self._anaphors = set(lexicon.claim_anaphors)
        self._office_words = set(lexicon.office_words)
        self._organization_heads = set(lexicon.organization_heads)

    # -- memory ---------------------------------------------------------------
    def observe(self, sentence: SpacySpan) -> None:
        """Remember the people and bodies a sentence mentions, for later pronouns."""
        self._observe_titled_names(sentence)
        for ent in entities_in(sentence):
            if ent.label_ == "PERSON" and not self._place_kind(ent.text):
                name = self.person_name(ent)
                self._remember(Speaker(name, "person", span_of(ent)), self._roles_before(ent))
            elif ent.label_ == "ORG":
                outlet = self._outlets.by_name(ent.text)
                if outlet:
                    self._remember(Speaker(outlet.name, outlet.speaker_kind, span_of(ent)),
                                   {outlet.type.lower(), *outlet.name.lower().split()})

    def _observe_titled_names(self, sentence: SpacySpan) -> None:
        """"President of Ukraine Volodymyr Zelenskyy met …": a title then a name is a person
        mention, whatever label the small NER model gave it."""
        doc = sentence.doc
        i = sentence.start
        while i < sentence.end:
            if doc[i].lemma_.lower() not in self._person_roles or not doc[i].text[:1].isupper():
                i += 1
                continue
            j = i + 1
            while j < sentence.end and (doc[j].pos_ == "PROPN" or doc[j].lower_ in {"of", "the"}
                                        or doc[j].lemma_.lower() in self._person_roles):
                j += 1
            run = doc[i:j]
            name = self.person_name(run)
            if " " in name and name != run.text and not set(name.lower().split()) & self._office_words:
                self._remember(Speaker(name, "person", span_of(run)), {t.lemma_.lower() for t in run})
            i = j

    def remember(self, speaker: Speaker, mention: SpacySpan | None = None) -> None:
        """Record the speaker of a claim just found, as the likeliest antecedent."""
        roles = {t.lemma_.lower() for t in mention} if mention is not None else set()
        self._remember(speaker, roles, spoke=True)

    def _remember(self, speaker: Speaker, roles: set[str], spoke: bool = False) -> None:
        mentions = 1
        for referent in self._referents:
            if referent.speaker.name == speaker.name and referent.speaker.kind == speaker.kind:
                self._referents.remove(referent)
                roles |= referent.roles
                spoke = spoke or referent.spoke
                mentions += referent.mentions
                break
        self._referents.append(_Referent(speaker, roles, spoke, mentions))

    def _roles_before(self, ent: SpacySpan) -> set[str]:
        """Title words written just before a name ("Russian President Vladimir Putin")."""
        roles = set()
        i = ent.start - 1
        while i >= max(ent.sent.start, ent.start - 6) and (ent.doc[i].pos_ in {"PROPN", "NOUN", "ADJ"}
                                                            or ent.doc[i].lower_ in {"of", "the"}):
            roles.add(ent.doc[i].lemma_.lower())  # "President of Ukraine Volodymyr Zelenskyy"
            i -= 1
        return roles & self._person_roles

    def pronoun_fits(self, head: Token, speaker: Speaker) -> bool:
        """Whether ``head`` is a pronoun that can stand for ``speaker`` ("she" a person,
        "it" a government)."""
        return speaker.kind in self._lex.pronouns.get(head.lower_, ())

    def person_name(self, ent: SpacySpan) -> str:
        """A person's canonical name: the fullest form this document has used, without
        the titles written before it ("President of Ukraine Volodymyr Zelenskyy")."""
        tokens = [t for t in ent if not t.is_punct and t.text.lower() not in {"'s", "’s"}]
        run: list[Token] = []
        for token in reversed(tokens):  # the trailing run of name words
            if token.lemma_.lower() in self._person_roles or token.lower_ in {"of", "the"} \
                    or self._place_kind(token.text) in {"country", "region"} or not token.text[:1].isupper():
                break
            run.insert(0, token)
        # "Minister of Infrastructure Oleksandr Kubrakov": the word after "of" is the office.
        while len(run) > 2 and (run[0].i > 0 and run[0].doc[run[0].i - 1].lower_ in {"of", "'s", "’s"}
                                or run[0].lower_ in self._office_words):
            run = run[1:]
        tokens = run or tokens
        name = " ".join(t.text for t in tokens)
        surname = tokens[-1].text if tokens else name
        if len(tokens) > 1:
            self._full_names[surname] = name
            return name
        if surname.isupper() and len(surname) > 2:  # a transcript's "PENCE" is Pence
            surname = name = surname.title()
        return self._full_names.get(surname, name)

    # -- resolution -----------------------------------------------------------
    def resolve(self, head: Token, phrase: SpacySpan | None = None) -> Speaker | None:
        """The speaker a subject or agent refers to, or None when it is not a speaker
        (a claim anaphor like "This assertion", or something that cannot speak)."""
        phrase = phrase if phrase is not None else noun_phrase(head)
        lemma = head.lemma_.lower()
        lower = head.text.lower()
        if lemma in self._anaphors:
            return None
        if lower in self._lex.pronouns:
            return self._antecedent(self._lex.pronouns[lower], set(), phrase)
        if lower in FIRST_PERSON:
            return None  # only meaningful inside a quote or a transcript turn
        return self._classify(head, phrase)

    def _classify(self, head: Token, phrase: SpacySpan) -> Speaker | None:
        span = span_of(phrase)
        subtree_text = head.doc[head.left_edge.i : head.right_edge.i + 1].text.lower()
        head_offset = head.idx - phrase.start_char
        for start, end, outlet in self._outlets.find_in(phrase.text):
            if start <= head_offset < end:  # not "Head of the Office of the President …"
                return Speaker(outlet.name, outlet.speaker_kind, span)
        subtree = head.doc[head.left_edge.i : head.right_edge.i + 1]
        call_sign = _call_sign(subtree)
        if call_sign:
            end = subtree.text.find(call_sign) + len(call_sign)
            end += subtree.text[end : end + 1] in "’'\"”»" if end < len(subtree.text) else 0
            whole = head.doc.char_span(subtree.start_char, subtree.start_char + end, alignment_mode="expand")
            return Speaker(call_sign, "anonymous", span_of(whole) if whole is not None else span)
        if any(marker in subtree_text for marker in self._lex.anonymity_markers):
            antecedent = self._descriptor(head, phrase)
            return antecedent or Speaker(_bare(phrase), "anonymous", span)
        if head.pos_ == "PROPN" and self._place_kind(_bare(phrase)):
            return Speaker(_bare(phrase), "government", span)  # "Ukraine says …", "Moscow denied …"
        persons = [e for e in entities_in(phrase) if e.label_ == "PERSON" and e.start <= head.i < e.end]
        if persons:
            return Speaker(self.person_name(persons[0]), "person", span)
        if _proper(head) and (head.text in self._full_names or self._titled(head)):
            names = [e for e in entities_in(phrase) if e.start <= head.i < e.end]
            return Speaker(self.person_name(names[0] if names else phrase), "person", span)
        descriptor = self._descriptor(head, phrase)
        if descriptor:
            return descriptor
        return self._by_head(head, phrase, span)

    def _titled(self, head: Token) -> bool:
        """A proper name written after a person's title ("President … Zelenskyy")."""
        return any(t.lemma_.lower() in self._person_roles for t in head.doc[head.left_edge.i : head.i])

    def _by_head(self, head: Token, phrase: SpacySpan, span: Span) -> Speaker | None:
        lemma = head.lemma_.lower()
        determiners = {t.lower_ for t in head.children if t.dep_ == "det"}
        plural = head.tag_ in {"NNS", "NNPS"}
        orgs = [e for e in entities_in(phrase) if e.label_ == "ORG" and e.start <= head.i < e.end]
        places = [e for e in entities_in(phrase) if e.label_ in {"GPE", "NORP"}]
        if lemma in self._vague and (plural or determiners & {"some", "many", "several"}):
            return Speaker(_bare(phrase), "vague", span)
        if lemma in self._government and (places or determiners & {"the"}):
            return Speaker(_bare(phrase), "government", span)
        if lemma in self._anonymous and (determiners & {"a", "an", "one"} or plural):
            return Speaker(_bare(phrase), "anonymous", span)
        if orgs:
            kind: SpeakerKind = "government" if lemma in self._government else "organization"
            return Speaker(_bare(orgs[0]), kind, span)
        if head.ent_type_ in {"GPE"}:
            return Speaker(head.text, "government", span)  # "Moscow denied …", "Kyiv said …"
        if lemma in self._person_roles:  # "President of Ukraine Volodymyr Zelenskyy"
            proper = [t for t in phrase if t.i > head.i and t.pos_ == "PROPN"]
            if proper:
                name = self.person_name(phrase.doc[proper[0].i : proper[-1].i + 1])
                if " " in name or name in self._full_names:
                    return Speaker(name, "person", span)
            return Speaker(_bare(phrase), "person", span)
        if _proper(head) and not head.ent_type_ and len(_bare(phrase).split()) == 1:
            # An untagged single name as a speaker: the small NER model misses many
            # Ukrainian and Russian surnames ("Zelenskyy said"); bodies it mostly tags ORG.
            return Speaker(_bare(phrase), "person", span)
        if _proper(head) or lemma in self._organization_heads:
            return Speaker(_bare(phrase), "organization", span)
        return None

    def _descriptor(self, head: Token, phrase: SpacySpan) -> Speaker | None:
        """"the ministry" → the most recent government body whose mention says ministry."""
        lemma = head.lemma_.lower()
        kinds = self._lex.descriptors.get(lemma)
        determiners = {t.lower_ for t in head.children if t.dep_ in {"det", "poss"}}
        determiners |= {t.lower_ for t in phrase if t.i < head.i and t.pos_ in {"DET", "PRON"}}
        if not kinds or not determiners & {"the", "this", "that", "our", "its", "his", "her", "their"}:
            return None
        if any(e.label_ in {"PERSON", "ORG"} and e.start <= head.i < e.end for e in entities_in(phrase)):
            return None
        qualifiers = {t.lower_[:4] for t in phrase if t.ent_type_ in {"GPE", "NORP"} or self._place_kind(t.text) == "country"}
        return self._antecedent(kinds, {lemma} | _SYNONYMS.get(lemma, set()), phrase,
                                qualifiers=qualifiers, salient=True)

    def _antecedent(self, kinds: list[str], words: set[str], phrase: SpacySpan, *,
                    qualifiers: set[str] = frozenset(), salient: bool = False) -> Speaker | None:
        """The fitting speaker of an earlier claim, else an earlier mention: the most recent
        one for a pronoun, the most often named one for a description ("the President").
        ``qualifiers`` ("of Ukraine", "French") must match words seen with the referent."""
        for speakers_only in (True, False):
            fitting = [
                referent for referent in self._referents
                if (referent.spoke or not speakers_only) and referent.speaker.kind in kinds
                and (not words or words & referent.roles)
                and all(any(role.startswith(q) for role in referent.roles) for q in qualifiers)
            ]
            if fitting:
                # Most recent last; for a description, the most named wins, ties to the latest.
                best = max(enumerate(fitting), key=lambda p: (p[1].mentions if salient else 0, p[0]))[1]
                return Speaker(best.speaker.name, best.speaker.kind, span_of(phrase))
        return None


# Descriptors that refer to a referent introduced under a related word.
_SYNONYMS = {
    "fighter": {"commander", "soldier", "serviceman", "officer", "operator", "unit"},
    "soldier": {"fighter", "commander", "serviceman", "officer"},
    "commander": {"fighter", "officer"},
    "channel": {"telegram", "telegram channel"},
    "agency": {"news agency", "agency"},
    "head": {"president", "leader", "head"},
    "president": {"president", "head"},
}


def _proper(token: Token) -> bool:
    """A proper name, even where the tagger missed it: a capitalised word mid-sentence."""
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.text[:1].isupper() and not token.is_sent_start)


def _call_sign(phrase: SpacySpan) -> str | None:
    """The call sign a mention carries ("with the call sign ‘Kontora’" → "Kontora")."""
    match = re.search(r"call[\s-]?sign\s+[‘'\"“«]?([^’'\"”»,;()]+)[’'\"”»]?", phrase.text, re.I)
    return match.group(1).strip() if match else None


def _bare(phrase: SpacySpan) -> str:
    """A mention without its leading article, as a name for unnamed speakers."""
    tokens = list(phrase)
    while tokens and tokens[0].dep_ == "det" and tokens[0].lower_ in {"the", "a", "an"}:
        tokens = tokens[1:]
    return phrase.doc[tokens[0].i : tokens[-1].i + 1].text if tokens else phrase.text
