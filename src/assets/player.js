// player.js: what the work page's player does with a script. Without it
// every transcript line and frame is a link to ?t=SECONDS#player, which
// opens the film at that moment; with it the same links seek in place,
// #t=SECONDS in the address opens (or moves) the film there, and the
// transcript follows the film, marking the line being said. The
// community's published notes, a list of links to their moments, are
// laid along the film's length as marks of its timeline, and the form of
// a time-coded note gets a "Now" button that takes the player's moment.
'use strict';
(function () {
  var video = document.getElementById('video');
  var player = document.getElementById('player');
  if (!video || !player) return;
  var list = document.getElementById('transcript');
  var lines = [];    // {start, end, link}, in the order they are said
  var current = null;

  if (list) {
    var links = list.querySelectorAll('a[data-t]');
    for (var i = 0; i < links.length; i++) {
      lines.push({
        start: parseFloat(links[i].dataset.t),
        end: parseFloat(links[i].dataset.end),
        link: links[i]
      });
    }
  }

  // the line being said at time t: the last one started by then, if it
  // has not ended (binary search: transcripts run to thousands of lines)
  function lineAt(t) {
    var lo = 0, hi = lines.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (lines[mid].start <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found >= 0 && t < lines[found].end ? lines[found] : null;
  }

  function mark() {
    var line = lineAt(video.currentTime);
    if (line === current) return;
    if (current) current.link.removeAttribute('aria-current');
    current = line;
    if (!line) return;
    line.link.setAttribute('aria-current', 'true');
    // keep the line in view inside the transcript's own scrolling box,
    // without moving the page under the visitor
    var top = line.link.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + line.link.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = top - list.clientHeight / 3;
  }

  function seek(t, play) {
    if (!isFinite(t) || t < 0) return;
    var go = function () {
      video.currentTime = t;
      mark();
      if (play) {
        var p = video.play();
        if (p && p.catch) p.catch(function () {});  // a refused autoplay is no error
      }
    };
    if (video.readyState >= 1) go();
    else video.addEventListener('loadedmetadata', go, { once: true });
  }

  // #t=SECONDS (or #t=mm:ss, h:mm:ss), as the ?t= links take it
  function hashTime() {
    var m = /^#t=(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)$/.exec(location.hash);
    if (!m) return NaN;
    var parts = [m[1], m[2], m[3]].filter(function (x) { return x !== undefined; });
    return parts.reduce(function (acc, x) { return acc * 60 + parseFloat(x); }, 0);
  }

  player.addEventListener('click', function (e) {
    var a = e.target.closest('a[data-t]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    history.replaceState(null, '', '#t=' + a.dataset.t);
    seek(parseFloat(a.dataset.t), true);
  });
  window.addEventListener('hashchange', function () { seek(hashTime(), false); });
  video.addEventListener('timeupdate', mark);
  video.addEventListener('seeked', mark);
  // the notes' marks: each at its moment's share of the film's length
  var marks = document.getElementById('marks');
  function layMarks() {
    if (!marks || !isFinite(video.duration) || video.duration <= 0) return;
    var as = marks.querySelectorAll('a[data-t]');
    for (var i = 0; i < as.length; i++) {
      var t = parseFloat(as[i].dataset.t), end = parseFloat(as[i].dataset.end);
      var left = Math.min(100, Math.max(0, t / video.duration * 100));
      as[i].parentNode.style.left = left + '%';
      as[i].parentNode.style.width = Math.max(0.8, Math.min(100 - left,
        ((end > t ? end : t) - t) / video.duration * 100)) + '%';
      as[i].title = as[i].textContent;
    }
    marks.classList.add('laid');
  }
  if (video.readyState >= 1) layMarks();
  else video.addEventListener('loadedmetadata', layMarks);

  // "Now" in the time-coded note's form: the player's moment as m:ss.s
  function clock(t) {
    var s = Math.floor(t * 10) / 10, h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    var sec = (s % 60).toFixed(1).replace(/\.0$/, '');
    if (parseFloat(sec) < 10) sec = '0' + sec;
    return (h ? h + ':' + (m < 10 ? '0' : '') : '') + m + ':' + sec;
  }
  var forms = document.querySelectorAll('form.contrib-time');
  for (var k = 0; k < forms.length; k++) {
    (function (form) {
      var buttons = form.querySelectorAll('button.now');
      for (var j = 0; j < buttons.length; j++) {
        buttons[j].hidden = false;
        buttons[j].addEventListener('click', function (e) {
          var field = form.querySelector('input[name="' + e.currentTarget.dataset.field + '"]');
          if (field) field.value = clock(video.currentTime);
        });
      }
    })(forms[k]);
  }

  if (location.hash.indexOf('#t=') === 0) {
    seek(hashTime(), false);
    player.scrollIntoView();
  }
})();
