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
