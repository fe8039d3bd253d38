/* Page behaviour without inline scripts (the CSP allows scripts from this origin only). */
(function () {
  function csrf() {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    return token && header ? {header: header.content, token: token.content} : null;
  }
  // htmx requests carry the CSRF token like forms do.
  document.addEventListener('htmx:configRequest', function (event) {
    var c = csrf();
    if (c) event.detail.headers[c.header] = c.token;
  });
  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el.matches && el.matches('select[data-autosubmit]') && el.form) el.form.submit();
  });
  // The campaign form's A/B section shows only what applies: its fields once ticked, and per row either the text
  // input or (for a template test) the template select. Without script everything shows; the server picks by kind.
  function abSection() {
    var box = document.getElementById('ab');
    var kind = document.getElementById('abKind');
    if (!box || !kind) return;
    document.getElementById('ab-fields').hidden = !box.checked;
    var template = kind.value === 'template';
    document.querySelectorAll('[data-ab-text]').forEach(function (el) { el.hidden = template; });
    document.querySelectorAll('[data-ab-template]').forEach(function (el) { el.hidden = !template; });
  }
  document.addEventListener('change', function (event) {
    if (event.target.id === 'ab' || event.target.id === 'abKind') abSection();
  });
  document.addEventListener('DOMContentLoaded', abSection);
  // Destructive actions ask first: <form data-confirm="..."> or <button data-confirm="...">.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
  document.addEventListener('click', function (event) {
    var el = event.target.closest ? event.target.closest('button[data-confirm], a[data-confirm]') : null;
    if (el && !window.confirm(el.getAttribute('data-confirm'))) event.preventDefault();
  }, true);
})();
