// iiif-auth.js: the script of the IIIF Authorization Flow's pages
// (interop/iiif_auth.c). The token service's page, in a frame of a IIIF
// viewer, posts its message to the viewer's origin (and no other); the
// access service's window closes itself once someone is signed in, which
// is how the viewer learns it may ask for a token.
(function () {
	'use strict';
	var msg = document.getElementById('iiif-message');
	var origin = document.getElementById('iiif-origin');
	if (msg && origin && window.parent !== window)
		window.parent.postMessage(JSON.parse(msg.textContent), JSON.parse(origin.textContent));
	if (document.getElementById('iiif-close') && window.opener)
		window.close();
})();
