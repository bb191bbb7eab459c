// The cluster map: NUTS 2 regions shaded by number of clusters; a click opens the directory
// filtered on that region. No tiles: the boundaries are the whole map, so it works offline.
(function () {
  "use strict";
  var COLOURS = ["#eef3f8", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

  function colour(count) {
    if (!count) return COLOURS[0];
    return COLOURS[Math.min(COLOURS.length - 1, Math.ceil(Math.log2(count + 1)))];
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined") return;
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.addAttribution("© EuroGeographics");
    fetch(element.dataset.geojson, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            return { color: "#5b6b7a", weight: 0.6, fillOpacity: 0.9,
                     fillColor: colour(feature.properties.clusters) };
          },
          onEachFeature: function (feature, shape) {
            var p = feature.properties;
            shape.bindTooltip(p.name + " (" + p.id + "): " + p.clusters + " " +
              element.dataset.labelClusters + ", " + p.members + " " + element.dataset.labelMembers);
            shape.on("click", function () {
              window.location.href = element.dataset.directory + "?region=" + encodeURIComponent(p.id);
            });
          }
        }).addTo(map);
        var withClusters = collection.features.filter(function (f) { return f.properties.clusters > 0; });
        var bounds = withClusters.length ? L.geoJSON({ type: "FeatureCollection", features: withClusters }).getBounds()
                                         : layer.getBounds();
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 6 });
        element.dataset.ready = "true";
      });
  });
})();
