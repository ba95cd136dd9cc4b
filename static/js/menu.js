// The phone menu: loaded before the page is drawn so that, with scripts on, the menu starts
// folded behind its button; without scripts the class is never set and the menu shows open.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // A navigation group (details) folds again when the reader clicks elsewhere.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.nav-group[open]").forEach((group) => {
      if (!group.contains(event.target)) group.open = false;
    });
  });
  const button = document.querySelector("button.nav-toggle");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const show = (open) => {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  };
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
});
