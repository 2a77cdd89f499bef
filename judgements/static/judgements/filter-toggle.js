// Progressive enhancement: on a small screen the findings filters start hidden behind a
// "Show filters" button, so the first result is near the top. Without JavaScript, or on a
// wide screen, the filters are simply shown.
const panel = document.querySelector("[data-module='app-filter-toggle']");
const small = window.matchMedia("(max-width: 40.0525em)"); // GOV.UK's tablet breakpoint

if (panel) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary app-filter-toggle";
  button.setAttribute("aria-controls", panel.id);
  panel.before(button);

  const show = (expanded) => {
    button.setAttribute("aria-expanded", String(expanded));
    button.textContent = expanded ? "Hide filters" : "Show filters";
    panel.classList.toggle("app-filter--collapsed", !expanded);
  };
  const layout = () => {
    button.hidden = !small.matches;
    show(!small.matches);
  };
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  small.addEventListener("change", layout);
  layout();
}

// Empty fields (no search words, "Any" inspection) mean no filter: leave them out of the
// address, so that the URL a person shares says only what they chose.
for (const form of document.querySelectorAll(".app-filter form, form.app-sort")) {
  form.addEventListener("submit", () => {
    for (const field of form.querySelectorAll("input[name], select[name]")) {
      if (!field.value.trim()) field.disabled = true;
    }
  });
}
