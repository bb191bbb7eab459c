// Check-in by camera (docs/events.md). Where the browser has the BarcodeDetector API (Chrome and
// Edge on Android, ChromeOS and macOS; Safari behind a flag), "Scan with the camera" opens the
// back camera, reads the badge's QR code (it holds the badge code) and submits the form, as a
// scanner that types would. Elsewhere nothing changes: the code is typed, or a scanner types it.
// A static file of our own: the page's Content-Security-Policy (script-src 'self') holds.
(function () {
  "use strict";
  var form = document.getElementById("check-in");
  var start = document.getElementById("camera-start");
  var video = document.getElementById("camera");
  var note = document.getElementById("camera-note");
  var media = navigator.mediaDevices;
  if (!form || !start || !video || !("BarcodeDetector" in window) || !media || !media.getUserMedia) {
    return;
  }
  var KEY = "events-check-in-camera"; // kept on: the next badge is scanned without a click
  var LAST = "events-check-in-last"; // the badge just sent: still in front of the camera
  start.hidden = false;

  function scan() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    media.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      window.sessionStorage.setItem(KEY, "on");
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      note.textContent = note.dataset.looking;
      video.play();
      var look = function () {
        detector.detect(video).then(function (codes) {
          var code = codes.length ? codes[0].rawValue : "";
          if (code && code !== window.sessionStorage.getItem(LAST)) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            window.sessionStorage.setItem(LAST, code);
            form.elements.code.value = code;
            form.submit();
          } else {
            window.setTimeout(look, 200);
          }
        }, function () {
          window.setTimeout(look, 200); // no frame yet
        });
      };
      look();
    }, function () {
      window.sessionStorage.removeItem(KEY);
      note.textContent = note.dataset.failed;
    });
  }

  start.addEventListener("click", scan);
  if (window.sessionStorage.getItem(KEY) === "on") {
    scan();
  }
})();
