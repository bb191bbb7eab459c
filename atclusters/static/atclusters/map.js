// The cluster map: NUTS 2 regions shaded by number of clusters (or members), a dot per cluster
// that has a position. A click on a region opens the directory filtered on it; a click on a dot
// opens the cluster's profile. No tiles: the boundaries are the whole map, so it works offline.
(function () {
  "use strict";
  var COLOURS = ["#eef3f8", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

  function shade(value, largest) {
    if (!value) return COLOURS[0];
    var step = Math.log(1 + value) / Math.log(1 + largest);
    return COLOURS[Math.max(1, Math.ceil(step * (COLOURS.length - 1)))];
  }

  // Leaflet reads a string tooltip as HTML; names typed by users must stay text.
  function text(content) {
    var span = document.createElement("span");
    span.textContent = content;
    return span;
  }

  function json(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined") return;
    var data = element.dataset;
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true, zoomControl: false });
    L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(data.boundaries);
    var measure = "clusters";
    var regions;
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);

    // The classes shade() draws, as value ranges: class i holds the values v with
    // ceil(5 · log(1 + v) / log(1 + largest)) = i.
    function classes(largest) {
      var ranges = [];
      var low = 1;
      for (var i = 1; i < COLOURS.length; i++) {
        var high = Math.floor(Math.pow(1 + largest, i / (COLOURS.length - 1)) - 1 + 1e-9);
        if (high >= low) ranges.push({ colour: COLOURS[i], low: low, high: high });
        low = Math.max(low, high + 1);
      }
      return ranges;
    }

    function drawLegend(largest) {
      var box = legend.getContainer();
      box.textContent = "";
      if (!data.focus) {
        var title = document.createElement("p");
        title.textContent = measure === "clusters" ? data.legendClusters : data.legendMembers;
        box.appendChild(title);
      }
      var list = document.createElement("ul");
      var rows = [{ colour: COLOURS[0], text: "0" }];
      if (!data.focus) {
        classes(largest).forEach(function (range) {
          rows.push({ colour: range.colour,
                      text: range.low === range.high ? String(range.low) : range.low + "–" + range.high });
        });
      } else {
        rows = [{ colour: COLOURS[2], text: data.legendFocus }];
      }
      rows.forEach(function (row) {
        var item = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = row.colour;
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(" " + row.text));
        list.appendChild(item);
      });
      box.appendChild(list);
    }

    function restyle() {
      if (data.focus) {
        regions.setStyle(function (feature) {
          var inFocus = feature.properties.id.indexOf(data.focus) === 0;
          return { color: "#5b6b7a", weight: inFocus ? 1.5 : 0.4, fillOpacity: 0.9,
                   fillColor: inFocus ? COLOURS[2] : COLOURS[0] };
        });
        drawLegend(0);
        return;
      }
      var largest = 1;
      regions.eachLayer(function (shape) {
        largest = Math.max(largest, shape.feature.properties[measure]);
      });
      regions.setStyle(function (feature) {
        return { color: "#5b6b7a", weight: 0.6, fillOpacity: 0.9,
                 fillColor: shade(feature.properties[measure], largest) };
      });
      drawLegend(largest);
    }

    Promise.all([json(data.geojson), json(data.clusters)]).then(function (results) {
      var collection = results[0];
      regions = L.geoJSON(collection, {
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          shape.bindTooltip(text(p.name + " (" + p.id + "): " + p.clusters + " " +
            data.labelClusters + ", " + p.members + " " + data.labelMembers));
          shape.on("click", function () {
            window.location.href = data.directory + "?region=" + encodeURIComponent(p.id);
          });
        }
      }).addTo(map);
      restyle();
      L.geoJSON(results[1], {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 5, color: "#fff", weight: 1.5,
                                          fillColor: "#c2410c", fillOpacity: 1 });
        },
        onEachFeature: function (feature, marker) {
          var p = feature.properties;
          marker.bindTooltip(text(p.name + (p.acronym && p.acronym !== p.name ? " (" + p.acronym + ")" : "") +
            ": " + p.members + " " + data.labelMembers));
          marker.on("click", function () {
            window.location.href = data.profile.replace("cluster-slug", encodeURIComponent(p.slug));
          });
        }
      }).addTo(map);
      var withClusters = collection.features.filter(function (f) {
        return data.focus ? f.properties.id.indexOf(data.focus) === 0 : f.properties.clusters > 0;
      });
      var bounds = withClusters.length ? L.geoJSON({ type: "FeatureCollection", features: withClusters }).getBounds()
                                       : regions.getBounds();
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: data.focus ? 7 : 6 });
      element.dataset.ready = "true";
    });

    var chooser = document.querySelector(".map-measure");
    if (chooser) {
      chooser.hidden = false;
      chooser.addEventListener("change", function (event) {
        measure = event.target.value;
        if (regions) restyle();
      });
    }
  });
})();
