// claimscope web desk: small conveniences only; every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Filter choices apply at once.
  document.querySelectorAll("form.filters select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // In a document, pointing at one piece of a claim outlines all its pieces.
  var marks = document.querySelectorAll("a.mark[data-claims]");
  marks.forEach(function (mark) {
    var ids = mark.dataset.claims.split(" ");
    function toggle(on) {
      marks.forEach(function (other) {
        var shared = other.dataset.claims.split(" ").some(function (id) { return ids.indexOf(id) >= 0; });
        other.classList.toggle("active", on && shared);
      });
    }
    mark.addEventListener("mouseenter", function () { toggle(true); });
    mark.addEventListener("mouseleave", function () { toggle(false); });
  });
});
