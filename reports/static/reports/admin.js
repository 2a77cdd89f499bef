// Names for the autocompletes of the staff admin. Select2 names its combobox after the
// choice shown, so an empty one (a new row of a finding's service areas) has no name
// for a screen reader. Each gets its field's label, or the aria-label of its select
// (harrow_inspection/admin_forms.py names the rows of tabular inlines).
"use strict";
(function () {
    function nameOf(select) {
        if (select.getAttribute("aria-label")) return select.getAttribute("aria-label");
        const label = select.id && document.querySelector('label[for="' + select.id + '"]');
        return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
    }

    function nameAutocompletes(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            const container = select.nextElementSibling;
            if (!container || !container.classList.contains("select2")) return;
            const rendered = container.querySelector(".select2-selection__rendered");
            if (rendered) rendered.setAttribute("aria-label", nameOf(select));
        });
    }

    // After Django's autocomplete.js has set Select2 up, on jQuery's ready: this script
    // is deferred, so its ready callback comes after autocomplete.js's.
    function whenReady() {
        nameAutocompletes(document);
        document.documentElement.dataset.autocompletesNamed = "true";
    }
    if (window.django && window.django.jQuery) window.django.jQuery(whenReady);
    else document.addEventListener("DOMContentLoaded", whenReady);
    document.addEventListener("formset:added", function (event) {
        window.setTimeout(function () { nameAutocompletes(event.target); }, 0);
    });
})();

// The review page (judgements/review_admin.py) sends you back to the next item to review
// (#finding-12, #action-3, or #actions after the last paragraph). A browser ignores
// autofocus when the address has a fragment, so Enter, Enter... stopped after the first:
// focus that item's Confirm button instead (the first one after #actions). After an
// error, focus the message, so the next Enter confirms nothing that was not read.
(function () {
    function focusNextToReview() {
        const items = Array.from(document.querySelectorAll("form.app-review-item"));
        if (!items.length) return;
        const error = document.querySelector(".messagelist .error");
        if (error) {
            error.setAttribute("tabindex", "-1");
            error.focus();
            return;
        }
        const id = decodeURIComponent(window.location.hash.slice(1));
        const anchored = id && document.getElementById(id);
        let form = null;
        if (anchored) {
            form = items.find(function (item) {
                return item === anchored
                    || anchored.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING;
            });
        }
        const button = form && form.querySelector('input[type="submit"]');
        const target = button || document.querySelector("form.app-review-item [autofocus]");
        if (target) target.focus();
    }
    // On load, not before: Chromium moves the focus to the page when it scrolls to the
    // fragment, which it does after the document is parsed.
    if (document.readyState === "complete") focusNextToReview();
    else window.addEventListener("load", focusNextToReview);
})();

