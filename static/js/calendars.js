// Calendar page: copy a feed address, also where the Clipboard API is missing
// (plain-http pages): then the address is selected for the person to copy.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-calendar-copy]").forEach((button) => {
    button.addEventListener("click", () => {
      const input = document.querySelector(button.dataset.calendarCopy);
      if (!input) return;
      const done = (label) => {
        const before = button.textContent;
        button.textContent = label;
        setTimeout(() => { button.textContent = before; }, 1500);
      };
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(() => done("Copied"), () => done("Press Ctrl+C"));
      } else {
        done(document.execCommand && document.execCommand("copy") ? "Copied" : "Press Ctrl+C");
      }
    });
  });
  document.querySelectorAll(".cal-url-input").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
});
