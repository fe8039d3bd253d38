/* Orbita website tracker. Include on every page:
 *   <script src="https://ORBITA_HOST/t.js" data-site-key="site_..." async></script>
 * Then, optionally: orbita.product({sku, name, price}), orbita.cart([{sku, name, quantity, price}]),
 * orbita.checkout(), orbita.content({title, kind}), orbita.identify(email) after a form submit or login. */
(function () {
  var script = document.currentScript || document.querySelector('script[data-site-key]');
  if (!script) return;
  var key = script.getAttribute('data-site-key');
  var endpoint = new URL('/t/' + encodeURIComponent(key) + '/e', script.src).href;
  var storageKey = 'orbita_vid';
  var visitorId;
  try { visitorId = localStorage.getItem(storageKey); } catch (e) { visitorId = null; }
  if (!visitorId) {
    visitorId = 'v_' + Math.random().toString(36).slice(2) + Date.now().toString(36);
    try { localStorage.setItem(storageKey, visitorId); } catch (e) { /* private mode: one visitor per page */ }
  }
  function send(payload) {
    payload.visitorId = visitorId;
    var body = JSON.stringify(payload);
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, new Blob([body], {type: 'text/plain'}))) return;
    fetch(endpoint, {method: 'POST', body: body, headers: {'Content-Type': 'text/plain'}, keepalive: true, mode: 'cors'});
  }
  function track(type, properties) { send({events: [{type: type, properties: properties || {}}]}); }
  var api = {
    visitorId: visitorId,
    track: track,
    product: function (p) { track('product_viewed', p); },
    content: function (c) { track('content_viewed', c); },
    cart: function (lines, extra) { var p = extra || {}; p.lines = lines || []; track('cart_updated', p); },
    checkout: function (p) { track('checkout_started', p); },
    identify: function (email) { if (email) send({identify: {email: String(email)}, events: []}); }
  };
  var queued = window.orbita && window.orbita.q;
  window.orbita = api;
  track('page_viewed', {url: location.href, path: location.pathname, title: document.title, referrer: document.referrer});
  if (queued) queued.forEach(function (c) { api[c[0]] && api[c[0]].apply(null, c[1]); });
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    var field = form && form.querySelector && form.querySelector('input[type=email]');
    if (field && field.value) api.identify(field.value);
  }, true);
})();
