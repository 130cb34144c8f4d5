// The public reports' map (issue #18): Leaflet served by Motcua itself, tiles from the
// configured source (MOTCUA_MAP_TILE_URL), one marker per report that has coordinates. The list
// below the map holds everything; without this script or the tiles nothing is lost.
(function () {
  "use strict";
  var box = document.getElementById("report-map");
  if (!box || typeof L === "undefined") { return; }
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution || "" }).addTo(map);
  var points = [];
  document.querySelectorAll("[data-lat][data-long]").forEach(function (item) {
    var lat = parseFloat(item.dataset.lat), lng = parseFloat(item.dataset.long);
    if (isNaN(lat) || isNaN(lng)) { return; }
    var marker = L.marker([lat, lng], { title: item.dataset.title || "", keyboard: true }).addTo(map);
    marker.bindPopup(document.createTextNode(item.dataset.title || ""));
    points.push([lat, lng]);
  });
  if (points.length) {
    map.fitBounds(points, { maxZoom: 16, padding: [24, 24] });
  } else {
    map.setView([parseFloat(box.dataset.lat), parseFloat(box.dataset.long)], 11);
  }
  box.hidden = false;
})();
