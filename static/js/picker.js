// People and team pickers (the `picker` macro): a search box that filters a list longer than
// SEARCH_FROM, and for multiple choice "Choose all shown" / "Clear" and a count. Without this
// script the list of check boxes or radio buttons works as it is.
const SEARCH_FROM = 7;
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("fieldset[data-picker]").forEach((picker) => {
    const items = Array.from(picker.querySelectorAll(".picker-options li")).filter((li) => li.querySelector("input"));
    if (!items.length) return;
    const boxes = items.map((li) => li.querySelector("input"));
    const multiple = boxes[0].type === "checkbox";
    const bar = document.createElement("div");
    bar.className = "picker-bar";
    const search = document.createElement("input");
    search.type = "search";
    search.placeholder = `Search ${picker.dataset.noun || ""}`.trim();
    search.setAttribute("aria-label", `Search ${picker.querySelector("legend").textContent}`);
    if (items.length >= SEARCH_FROM) bar.appendChild(search);
    const count = document.createElement("span");
    count.className = "muted small picker-count";
    count.setAttribute("aria-live", "polite");
    const showCount = () => { count.textContent = `${boxes.filter((b) => b.checked).length} chosen`; };
    if (!multiple && items.length < SEARCH_FROM) return;
    if (multiple) {
      const button = (label, checked) => {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "button small";
        b.textContent = label;
        b.addEventListener("click", () => {
          items.forEach((li, i) => { if (!li.hidden) boxes[i].checked = checked; });
          showCount();
        });
        bar.appendChild(b);
      };
      button("Choose all shown", true);
      button("Clear", false);
    }
    bar.appendChild(count);
    picker.querySelector(".picker-options").before(bar);
    search.addEventListener("input", () => {
      const words = search.value.trim().toLowerCase();
      items.forEach((li) => { li.hidden = words !== "" && !li.textContent.toLowerCase().includes(words); });
    });
    search.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
    boxes.forEach((b) => b.addEventListener("change", showCount));
    showCount();
  });
});
