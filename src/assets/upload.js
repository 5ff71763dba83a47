// upload.js: resumable uploads for the site's file inputs.
//
// Any <input type="file" data-upload-return="LOCAL_PATH"> in a form is
// sent over tus 1.0.0 (/uploads/) instead of with the form: in pieces,
// with a progress bar, going on from where the archive has it after a cut
// (the connection, the server restarting, the page reloaded: the upload's
// address is kept in localStorage under the file's name, size and date).
// When it is all in, the form's hidden "upload" field, if it has one,
// gets the upload's id and the form is sent without the file; otherwise
// the page goes to LOCAL_PATH with upload=ID added, as the form without
// JavaScript does (POST /upload answers 303 there).
//
// The session's CSRF token (the form's csrf field) goes in the
// X-CSRF-Token header of every request. No inline script: the
// Content-Security-Policy allows only files from the site.
(function () {
  'use strict';

  var CHUNK = 4 * 1024 * 1024;     // bytes a PATCH at most: a cut loses no more
  var RETRY_MAX_MS = 30000;        // the longest wait between tries

  var LANG = document.documentElement.lang === 'en' ? 'en' : 'es';
  var TEXT = {
    es: { sending: 'Enviando… ', retry: 'Se cortó la conexión; se reintenta en ', seconds: ' s',
          done: 'Recibido.', failed: 'No se pudo enviar: ' },
    en: { sending: 'Sending… ', retry: 'The connection broke; trying again in ', seconds: ' s',
          done: 'Received.', failed: 'Could not send: ' }
  }[LANG];

  function b64(s) {
    var bytes = new TextEncoder().encode(s), bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin);
  }

  function localPath(p) {
    return typeof p === 'string' && p.charAt(0) === '/' && p.charAt(1) !== '/' && p.charAt(1) !== '\\';
  }

  // send: one request; resolves with the XMLHttpRequest whatever its
  // status (0 when the connection failed).
  function send(method, url, headers, body, onprogress) {
    return new Promise(function (resolve) {
      var x = new XMLHttpRequest();
      x.open(method, url);
      Object.keys(headers).forEach(function (k) { x.setRequestHeader(k, headers[k]); });
      if (onprogress && x.upload) x.upload.onprogress = onprogress;
      x.onload = x.onerror = x.onabort = x.ontimeout = function () { resolve(x); };
      x.send(body === undefined ? null : body);
    });
  }

  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function detail(x) {
    try { return JSON.parse(x.responseText).detail || ('HTTP ' + x.status); } catch (e) { return 'HTTP ' + x.status; }
  }

  // upload: the whole file over tus; resolves with the upload's id.
  async function upload(file, csrf, show) {
    var key = 'cinemateca-upload:' + [file.name, file.size, file.type, file.lastModified].join('|');
    var base = { 'Tus-Resumable': '1.0.0', 'X-CSRF-Token': csrf };
    var url = null, offset = 0, delay = 1000, x;
    try { url = localStorage.getItem(key); } catch (e) { url = null; }

    // where the archive has it: HEAD, tried until the server answers
    async function where() {
      for (;;) {
        x = await send('HEAD', url, base);
        if (x.status === 200) return Number(x.getResponseHeader('Upload-Offset'));
        if (x.status !== 0 && x.status < 500) return -1;   // gone: start again
        show.retry(delay);
        await wait(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }

    if (url && localPath(url)) {
      offset = await where();
      if (offset < 0) url = null;
    } else {
      url = null;
    }
    while (!url) {
      var meta = 'filename ' + b64(file.name) + (file.type ? ',filetype ' + b64(file.type) : '');
      x = await send('POST', '/uploads/', Object.assign({ 'Upload-Length': String(file.size),
        'Upload-Metadata': meta }, base));
      if (x.status === 201) {
        url = x.getResponseHeader('Location');
        offset = 0;
        try { localStorage.setItem(key, url); } catch (e) { /* no resume after a reload */ }
      } else if (x.status === 0 || x.status >= 500) {
        show.retry(delay);
        await wait(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      } else {
        throw new Error(detail(x));
      }
    }
    while (offset < file.size) {
      var start = offset;
      show.progress(offset / file.size);
      x = await send('PATCH', url, Object.assign({ 'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream' }, base),
        file.slice(offset, Math.min(offset + CHUNK, file.size)),
        function (e) { show.progress((start + e.loaded) / file.size); });
      if (x.status === 204) {
        offset = Number(x.getResponseHeader('Upload-Offset'));
        delay = 1000;
      } else if (x.status === 0 || x.status === 409 || x.status >= 500) {
        if (x.status !== 409) {
          show.retry(delay);
          await wait(delay);
          delay = Math.min(delay * 2, RETRY_MAX_MS);
        }
        offset = await where();
        if (offset < 0) throw new Error(detail(x));
      } else {
        throw new Error(detail(x));
      }
    }
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    show.progress(1);
    return url.split('/').pop();
  }

  function enhance(input) {
    var form = input.form, ret = input.getAttribute('data-upload-return');
    if (!form || !localPath(ret) || !window.fetch || !window.Promise) return;
    var csrfField = form.querySelector('input[name="csrf"]');
    var bar = document.createElement('progress');
    var status = document.createElement('p');
    bar.max = 1;
    bar.value = 0;
    bar.hidden = true;
    bar.className = 'upload-progress';
    status.className = 'upload-status';
    status.setAttribute('role', 'status');
    input.parentNode.insertBefore(status, input.nextSibling);
    input.parentNode.insertBefore(bar, input.nextSibling);
    var busy = false;
    var show = {
      progress: function (f) {
        bar.hidden = false;
        bar.value = f;
        status.textContent = TEXT.sending + Math.floor(f * 100) + ' %';
      },
      retry: function (ms) { status.textContent = TEXT.retry + Math.round(ms / 1000) + TEXT.seconds; }
    };
    form.addEventListener('submit', function (ev) {
      var file = input.files && input.files[0];
      if (!file || !csrfField) return;          // the browser says what is missing
      ev.preventDefault();
      if (busy) return;
      busy = true;
      upload(file, csrfField.value, show).then(function (id) {
        status.textContent = TEXT.done;
        var field = form.querySelector('input[name="upload"]');
        if (field) {
          field.value = id;
          input.disabled = true;                 // not sent again with the form
          form.submit();
        } else {
          location.assign(ret + (ret.indexOf('?') < 0 ? '?' : '&') + 'upload=' + encodeURIComponent(id));
        }
      }, function (err) {
        busy = false;
        status.textContent = TEXT.failed + err.message;
      });
    });
  }

  var inputs = document.querySelectorAll('input[type="file"][data-upload-return]');
  for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
})();
