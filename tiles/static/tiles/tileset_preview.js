// The admin's tileset preview: the tileset's public style.json on a MapLibre map, with the
// page's short-lived token on every request to the tile API, as a customer's app would do.
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("tileset-preview-config").textContent);
  const container = document.getElementById("tileset-preview-map");
  const panel = document.getElementById("tileset-preview-properties");
  const apiPrefix = config.apiOrigin + "/v1/";
  const state = { map: null, errors: [] };
  window.tilesetPreview = state;

  const map = new maplibregl.Map({
    container: container,
    style: config.styleUrl,
    bounds: config.bounds,
    fitBoundsOptions: { padding: 24 },
    minZoom: Math.max(0, config.minzoom - 1),
    transformRequest: function (url) {
      // Only the tile API gets the token: it must never leave for another host.
      if (url.startsWith(apiPrefix)) {
        return { url: url, headers: { Authorization: "Bearer " + config.token } };
      }
      return { url: url };
    },
  });
  state.map = map;
  map.addControl(new maplibregl.NavigationControl(), "top-right");
  map.addControl(new maplibregl.ScaleControl(), "bottom-left");

  map.on("error", function (event) {
    const message = (event.error && event.error.message) || String(event.error);
    state.errors.push(message);
    container.dataset.state = "error";
  });
  map.on("idle", function () {
    if (container.dataset.state !== "error") {
      container.dataset.state = "idle";
    }
  });

  // Past its expiry the token gets 401s for any tile not loaded yet: say why, once.
  const expiresInMs = Date.parse(config.expiresAt) - Date.now();
  window.setTimeout(function () {
    document.getElementById("tileset-preview-expired").hidden = false;
  }, Math.max(0, expiresInMs));

  function dataLayerIds() {
    return map
      .getStyle()
      .layers.filter(function (layer) { return layer.type !== "background"; })
      .map(function (layer) { return layer.id; });
  }

  function featuresAt(point) {
    // A few pixels of slack: points and thin lines are hard to hit exactly.
    const box = [
      [point.x - 4, point.y - 4],
      [point.x + 4, point.y + 4],
    ];
    return map.queryRenderedFeatures(box, { layers: dataLayerIds() });
  }

  // Built with textContent: property values come from the tileset, not from us.
  function propertiesTable(feature) {
    const table = document.createElement("table");
    const caption = table.createCaption();
    caption.textContent = feature.sourceLayer + " (" + feature.geometry.type + ")";
    const entries = Object.entries(feature.properties);
    if (entries.length === 0) {
      const row = table.insertRow();
      row.insertCell().textContent = "no properties";
    }
    entries.forEach(function (entry) {
      const row = table.insertRow();
      const key = document.createElement("th");
      key.scope = "row";
      key.textContent = entry[0];
      row.appendChild(key);
      row.insertCell().textContent = String(entry[1]);
    });
    return table;
  }

  function propertiesList(features) {
    const fragment = document.createDocumentFragment();
    features.slice(0, 5).forEach(function (feature) {
      fragment.appendChild(propertiesTable(feature));
    });
    return fragment;
  }

  map.on("mousemove", function (event) {
    const features = featuresAt(event.point);
    map.getCanvas().style.cursor = features.length ? "pointer" : "";
    if (features.length) {
      panel.replaceChildren(propertiesList(features));
    }
  });

  map.on("click", function (event) {
    const features = featuresAt(event.point);
    if (!features.length) {
      return;
    }
    const content = document.createElement("div");
    content.className = "tileset-preview-popup";
    content.appendChild(propertiesList(features));
    panel.replaceChildren(propertiesList(features));
    new maplibregl.Popup({ maxWidth: "320px" })
      .setLngLat(event.lngLat)
      .setDOMContent(content)
      .addTo(map);
  });
})();
