/* The segment builder: edits the rule tree held in the #rule textarea (nested AND/OR groups, NOT, typed conditions)
   and announces every change so htmx refreshes the live count. No library; the CSP allows only scripts from here. */
(function () {
  var root = document.getElementById('segment-builder');
  if (!root) return;
  var schema = JSON.parse(root.getAttribute('data-schema'));
  var L = JSON.parse(root.getAttribute('data-labels'));
  var ruleBox = document.getElementById('rule');
  var readOnly = root.hasAttribute('data-readonly');
  var fields = {};
  schema.fields.forEach(function (f) { fields[f.name] = f; });

  function t(key) { return Object.prototype.hasOwnProperty.call(L, key) ? L[key] : key; }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    if (readOnly && (tag === 'input' || tag === 'select' || tag === 'button')) e.disabled = true;
    return e;
  }
  function select(options, value, onChange, cls) {
    var s = el('select', {'class': cls || ''});
    options.forEach(function (o) {
      var opt = el('option', {value: o[0], text: o[1]});
      if (String(o[0]) === String(value)) opt.selected = true;
      s.appendChild(opt);
    });
    s.addEventListener('change', function () { onChange(s.value); });
    return s;
  }
  function input(type, value, onChange, placeholder, list) {
    var i = el('input', {type: type, placeholder: placeholder || ''});
    if (list) i.setAttribute('list', list);
    if (value !== undefined && value !== null) i.value = value;
    i.addEventListener('input', function () { onChange(i.value); });
    return i;
  }
  function num(v) { return v === '' || v === null || isNaN(Number(v)) ? undefined : Number(v); }
  function list(v) { return v.split(',').map(function (x) { return x.trim(); }).filter(function (x) { return x; }); }
  function setOrDrop(obj, key, v) { if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) delete obj[key]; else obj[key] = v; }

  var DEFAULTS = {
    field: function () { return {type: 'field', field: 'contactType', op: 'eq', value: 'private_person'}; },
    anniversary: function () { return {type: 'anniversary', field: 'birthday', direction: 'next', days: 7}; },
    bought: function () { return {type: 'bought'}; },
    orders: function () { return {type: 'orders', measure: 'count', op: 'gte', value: 1}; },
    last_purchase: function () { return {type: 'last_purchase', op: 'gt', value: 90}; },
    rfm: function () { return {type: 'rfm', group: 'champions'}; },
    activity: function () { return {type: 'activity', state: 'active'}; },
    contract: function () { return {type: 'contract', state: 'renews_within', days: 30}; },
    event: function () { return {type: 'event', event: 'page_viewed', op: 'at_least', count: 1, period: {lastDays: 30}}; },
    abandoned_cart: function () { return {type: 'abandoned_cart'}; },
    opened: function () { return {type: 'opened', days: 30}; },
    clicked: function () { return {type: 'clicked', days: 30}; },
    not_opened: function () { return {type: 'not_opened', days: 60}; },
    replied: function () { return {type: 'replied'}; },
    bounced: function () { return {type: 'bounced'}; },
    segment: function () { return {type: 'segment', segment: schema.segments.length ? schema.segments[0].id : 0}; }
  };
  var KINDS = Object.keys(DEFAULTS).filter(function (k) { return schema.types.indexOf(k) >= 0; });
  var COMPARE = ['gte', 'gt', 'eq', 'lte', 'lt'];

  function changed() {
    ruleBox.value = JSON.stringify(model);
    document.body.dispatchEvent(new Event('rule-changed'));
  }

  // Parameters of the non-field kinds: [name, widget, options]
  function params(c) {
    switch (c.type) {
      case 'anniversary': return [['field', 'select', schema.fields.filter(function (f) { return f.type === 'date' && f.name !== 'createdAt'; }).map(function (f) { return f.name; })],
        ['direction', 'select', ['next', 'last']], ['days', 'int']];
      case 'bought': return [['products', 'product'], ['categories', 'category'], ['period', 'period']];
      case 'orders': return [['measure', 'select', ['count', 'total', 'average']], ['op', 'select', COMPARE], ['value', 'num'], ['period', 'period']];
      case 'last_purchase': return [['op', 'select', COMPARE], ['value', 'int']];
      case 'rfm': return [['group', 'select', schema.rfmGroups]];
      case 'activity': return [['state', 'select', ['potential', 'active', 'former']]];
      case 'contract': return [['state', 'select', ['renews_within', 'expired', 'active']]].concat(c.state === 'renews_within' ? [['days', 'int']] : []).concat([['plans', 'list']]);
      case 'event': return [['event', 'event'], ['op', 'select', ['at_least', 'at_most', 'none']]].concat(c.op === 'none' ? [] : [['count', 'int']]).concat([['period', 'period']]);
      case 'abandoned_cart': return [['idleHours', 'int']];
      case 'opened': case 'clicked': case 'not_opened': case 'replied': case 'bounced': return [['days', 'int']];
      case 'segment': return [['segment', 'segmentRef']];
      default: return [];
    }
  }

  function paramWidget(c, p, redraw) {
    var name = p[0], kind = p[1];
    var wrap = el('label', {'class': 'seg-param'}, [el('span', {text: t('param.' + name)})]);
    var w;
    if (kind === 'select') {
      if (c[name] === undefined) c[name] = p[2][0];
      w = select(p[2].map(function (o) { return [o, t(name + '.' + o)]; }), c[name], function (v) { c[name] = v; redraw(); changed(); });
    } else if (kind === 'int' || kind === 'num') {
      w = input('number', c[name], function (v) { setOrDrop(c, name, num(v)); changed(); });
    } else if (kind === 'list') {
      w = input('text', (c[name] || []).join(', '), function (v) { setOrDrop(c, name, list(v)); changed(); }, 'a, b');
    } else if (kind === 'category') {
      w = input('text', (c.categories || []).join(', '), function (v) { setOrDrop(c, 'categories', list(v)); changed(); }, t('hint.any'), 'seg-categories');
    } else if (kind === 'product') {
      w = select([['', t('hint.anyProduct')]].concat(schema.products.map(function (x) { return [x.id, x.name]; })),
        c.products ? c.products[0] : '', function (v) { setOrDrop(c, 'products', v ? [Number(v)] : undefined); changed(); });
    } else if (kind === 'event') {
      w = input('text', c.event, function (v) { setOrDrop(c, 'event', v.trim()); changed(); }, 'page_viewed', 'seg-events');
    } else if (kind === 'segmentRef') {
      w = select(schema.segments.map(function (s) { return [s.id, s.name]; }), c.segment, function (v) { c.segment = Number(v); changed(); });
    } else if (kind === 'period') {
      w = input('number', c.period && c.period.lastDays, function (v) {
        var n = num(v); if (n === undefined) delete c.period; else c.period = {lastDays: n}; changed();
      }, t('hint.ever'));
    }
    wrap.appendChild(w);
    return wrap;
  }

  function fieldWidgets(c, box, redraw) {
    var f = fields[c.field] || schema.fields[0];
    box.appendChild(select(schema.fields.map(function (x) { return [x.name, t('field.' + x.name)]; }), c.field, function (v) {
      var nf = fields[v];
      c.field = v; c.op = schema.operators[nf.type][0];
      delete c.value; delete c.values; delete c.days; delete c.min; delete c.max;
      if (nf.type === 'choice') c.value = nf.options[0];
      redraw(); changed();
    }, 'seg-field'));
    box.appendChild(select(schema.operators[f.type].map(function (o) { return [o, t('op.' + o)]; }), c.op, function (v) {
      c.op = v; delete c.value; delete c.values; delete c.days; delete c.min; delete c.max;
      if (f.type === 'choice' && (v === 'eq' || v === 'neq')) c.value = f.options[0];
      redraw(); changed();
    }, 'seg-op'));
    var op = c.op;
    if (['is_set', 'is_not_set', 'is_true', 'is_false'].indexOf(op) >= 0) return;
    if (['in', 'not_in', 'has_any', 'has_all', 'has_none'].indexOf(op) >= 0) {
      box.appendChild(input('text', (c.values || []).join(', '), function (v) { setOrDrop(c, 'values', list(v)); changed(); },
        f.options.length ? f.options.join(', ') : 'a, b', f.type === 'tags' ? 'seg-tags' : null));
    } else if (['within_last_days', 'within_next_days', 'more_than_days_ago'].indexOf(op) >= 0) {
      box.appendChild(input('number', c.days, function (v) { setOrDrop(c, 'days', num(v)); changed(); }, t('param.days')));
    } else if (op === 'between') {
      var type = f.type === 'date' ? 'date' : 'number';
      box.appendChild(input(type, c.min, function (v) { setOrDrop(c, 'min', type === 'date' ? v : num(v)); changed(); }));
      box.appendChild(input(type, c.max, function (v) { setOrDrop(c, 'max', type === 'date' ? v : num(v)); changed(); }));
    } else if (f.type === 'choice') {
      box.appendChild(select(f.options.map(function (o) { return [o, t(c.field + '.' + o) === c.field + '.' + o ? o : t(c.field + '.' + o)]; }),
        c.value, function (v) { c.value = v; changed(); }, 'seg-value'));
    } else {
      var itype = f.type === 'date' ? 'date' : f.type === 'number' ? 'number' : 'text';
      var dl = f.type === 'tags' ? 'seg-tags' : f.type === 'id' && /manager$/.test(c.field) ? 'seg-managers' : null;
      var i = input(itype, c.value, function (v) { setOrDrop(c, 'value', f.type === 'number' || f.type === 'id' ? num(v) : v); changed(); }, '', dl);
      i.className = 'seg-value';
      box.appendChild(i);
    }
  }

  // An item of a group: a condition or a nested group, possibly wrapped in {"type": "not"}.
  function item(parent, index) {
    var node = parent.rules[index];
    var negated = node.type === 'not';
    var inner = negated ? node.rule : node;
    var box = el('div', {'class': inner.type === 'and' || inner.type === 'or' ? 'seg-item seg-nested' : 'seg-item seg-condition'});
    function redraw() { box.replaceWith(item(parent, index)); }
    var head = el('div', {'class': 'seg-row'});
    var not = el('input', {type: 'checkbox', 'class': 'seg-not'});
    not.checked = negated;
    not.addEventListener('change', function () {
      parent.rules[index] = not.checked ? {type: 'not', rule: inner} : inner; redraw(); changed();
    });
    head.appendChild(el('label', {'class': 'seg-not-label'}, [not, el('span', {text: t('not')})]));
    if (inner.type === 'and' || inner.type === 'or') {
      box.appendChild(head);
      box.appendChild(group(inner));
    } else {
      head.appendChild(select(KINDS.map(function (k) { return [k, t('type.' + k)]; }), inner.type, function (v) {
        var fresh = DEFAULTS[v]();
        parent.rules[index] = negated ? {type: 'not', rule: fresh} : fresh; redraw(); changed();
      }, 'seg-kind'));
      if (inner.type === 'field') fieldWidgets(inner, head, redraw);
      else params(inner).forEach(function (p) { head.appendChild(paramWidget(inner, p, redraw)); });
      box.appendChild(head);
    }
    var remove = el('button', {type: 'button', 'class': 'link seg-remove', text: '×', title: t('remove')});
    remove.addEventListener('click', function () { parent.rules.splice(index, 1); rerender(); changed(); });
    head.appendChild(remove);
    return box;
  }

  function group(g) {
    var box = el('div', {'class': 'seg-group'});
    var head = el('div', {'class': 'seg-row'});
    head.appendChild(select([['and', t('group.and')], ['or', t('group.or')]], g.type, function (v) { g.type = v; changed(); }, 'seg-join'));
    box.appendChild(head);
    var items = el('div', {'class': 'seg-items'});
    g.rules.forEach(function (r, i) { items.appendChild(item(g, i)); });
    box.appendChild(items);
    var add = el('button', {type: 'button', 'class': 'button seg-add-condition', text: '+ ' + t('addCondition')});
    add.addEventListener('click', function () { g.rules.push(DEFAULTS.field()); rerender(); changed(); });
    var addGroup = el('button', {type: 'button', 'class': 'button seg-add-group', text: '+ ' + t('addGroup')});
    addGroup.addEventListener('click', function () { g.rules.push({type: 'or', rules: [DEFAULTS.field()]}); rerender(); changed(); });
    if (!readOnly) box.appendChild(el('div', {'class': 'seg-row'}, [add, addGroup]));
    return box;
  }

  var model;
  try { model = JSON.parse(ruleBox.value || '{}'); } catch (e) { model = {}; }
  if (model.type !== 'and' && model.type !== 'or') model = {type: 'and', rules: model.type ? [model] : []};
  function rerender() {
    root.innerHTML = '';
    root.appendChild(group(model));
  }
  rerender();
  ruleBox.value = JSON.stringify(model);
  var raw = document.getElementById('rule-raw-toggle');
  if (raw) raw.addEventListener('click', function () { ruleBox.classList.toggle('hidden'); });
})();
