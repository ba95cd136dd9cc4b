// The series form shows only the repeat fields that apply; without JavaScript all are shown.
document.addEventListener("DOMContentLoaded", () => {
  const pattern = document.querySelector("select[name=pattern]");
  if (!pattern) return;
  const update = () => {
    document.querySelectorAll("[data-show-for]").forEach((el) => {
      el.hidden = el.dataset.showFor !== pattern.value;
    });
    document.querySelectorAll("[data-hide-for]").forEach((el) => {
      el.hidden = el.dataset.hideFor === pattern.value;
    });
  };
  pattern.addEventListener("change", update);
  update();
});
