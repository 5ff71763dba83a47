// contrib.js: drawing a region note's rectangle on the page image. Without
// it the region is typed as x,y,width,height in the image's pixels; with
// it the chosen page is shown under the form and a drag on it fills the
// field in those same pixels.
'use strict';
(function () {
  var forms = document.querySelectorAll('form.contrib-region');
  for (var i = 0; i < forms.length; i++) setUp(forms[i]);

  function setUp(form) {
    var select = form.querySelector('select[name="file"]');
    var field = form.querySelector('input[name="xywh"]');
    if (!select || !field) return;
    var box = document.createElement('div');
    box.className = 'draw';
    var img = document.createElement('img');
    img.alt = '';
    var drawn = document.createElement('div');
    drawn.className = 'drawn';
    drawn.hidden = true;
    box.appendChild(img);
    box.appendChild(drawn);
    field.parentNode.parentNode.insertBefore(box, field.parentNode.nextSibling);
    function show() { img.src = '/media/' + encodeURIComponent(select.value); drawn.hidden = true; }
    select.addEventListener('change', show);
    show();

    var start = null;
    // a point of the pointer in the image's own pixels
    function at(e) {
      var r = img.getBoundingClientRect();
      var sx = img.naturalWidth / r.width, sy = img.naturalHeight / r.height;
      return {
        x: Math.round(Math.min(Math.max(e.clientX - r.left, 0), r.width) * sx),
        y: Math.round(Math.min(Math.max(e.clientY - r.top, 0), r.height) * sy),
        sx: sx, sy: sy
      };
    }
    function draw(a, b) {
      var x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
      var w = Math.abs(a.x - b.x), h = Math.abs(a.y - b.y);
      drawn.style.left = (x / a.sx) + 'px';
      drawn.style.top = (y / a.sy) + 'px';
      drawn.style.width = (w / a.sx) + 'px';
      drawn.style.height = (h / a.sy) + 'px';
      drawn.hidden = false;
      if (w > 0 && h > 0) field.value = x + ',' + y + ',' + w + ',' + h;
    }
    box.addEventListener('pointerdown', function (e) {
      if (!img.naturalWidth) return;
      e.preventDefault();
      box.setPointerCapture(e.pointerId);
      start = at(e);
    });
    box.addEventListener('pointermove', function (e) { if (start) draw(start, at(e)); });
    box.addEventListener('pointerup', function (e) { if (start) { draw(start, at(e)); start = null; } });
  }
})();
