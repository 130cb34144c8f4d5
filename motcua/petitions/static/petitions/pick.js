// Pick the place of a report on the map (issue #18): Leaflet served by Motcua itself, tiles from
// the configured source. A tap sets the form's latitude and longitude and says so in words;
// without this script or the tiles the address field alone says where.
(function () {
  "use strict";
  var box = document.getElementById("place-map");
  if (!box || typeof L === "undefined") { return; }
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var said = document.getElementById("place-picked");
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { maxZoom: 19 }).addTo(map);
  var marker = null;
  function put(point) {
    lat.value = point.lat.toFixed(6);
    lng.value = point.lng.toFixed(6);
    if (marker) { marker.setLatLng(point); } else { marker = L.marker(point, { keyboard: false }).addTo(map); }
    said.textContent = "Đã chọn vị trí " + lat.value + ", " + lng.value + ".";
  }
  var start = lat.value && lng.value ? [parseFloat(lat.value), parseFloat(lng.value)]
    : [parseFloat(box.dataset.lat), parseFloat(box.dataset.long)];
  box.hidden = false;
  map.setView(start, 13);
  if (lat.value && lng.value) { put(L.latLng(start)); }
  map.on("click", function (event) { put(event.latlng); });
})();
