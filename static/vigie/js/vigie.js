// Vigie: send Django's CSRF token with every HTMX request.
document.body.addEventListener("htmx:configRequest", function (event) {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
});

// Vigie: close the site notice (django-dsfr's template used an inline onclick, which the CSP forbids).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-vigie-close-notice]");
  if (button) {
    button.closest(".fr-notice").remove();
  }
});

// Vigie: an edit refused because someone else saved first answers 409 with a fragment that says what
// they changed (templates/includes/stale_edit.html): show it in place, as a normal answer would be.
document.body.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
