// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Copy buttons (a citation): shown only where this script runs. The text copied is the
// target's as the page shows it; where the clipboard is refused, the text is selected
// instead and the status says how to copy it.
function selectText(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

for (const button of document.querySelectorAll("button[data-copy-target]")) {
  const target = document.getElementById(button.dataset.copyTarget);
  const status = button.parentElement.querySelector("[role=status]");
  if (!target) continue;
  button.parentElement.hidden = false;
  button.addEventListener("click", async () => {
    const text = target.tagName === "PRE"
      ? target.textContent
      : target.textContent.replace(/\s+/g, " ").trim();
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied";
    } catch {
      selectText(target);
      status.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy";
    }
  });
}

// A table in a scroll box (.app-table-container) that is wider than the screen says so,
// above it and in the box's accessible name, so no column is hidden without a word.
function markScrollingTables() {
  document.querySelectorAll(".app-table-container").forEach((box, index) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    let hint = box.previousElementSibling;
    if (!hint || !hint.classList.contains("app-scroll-hint")) {
      if (!scrolls) return;
      hint = document.createElement("p");
      hint.className = "app-scroll-hint";
      hint.id = `scroll-hint-${index}`;
      hint.textContent = "This table scrolls sideways: more columns are to the right.";
      box.before(hint);
      box.dataset.label = box.getAttribute("aria-label") || "";
    }
    hint.hidden = !scrolls;
    box.classList.toggle("app-table-container--scrolls", scrolls);
    box.setAttribute("aria-label", box.dataset.label + (scrolls ? " (scrolls sideways)" : ""));
    if (scrolls) box.setAttribute("aria-describedby", hint.id);
    else box.removeAttribute("aria-describedby");
  });
}

markScrollingTables();
window.addEventListener("resize", markScrollingTables);
