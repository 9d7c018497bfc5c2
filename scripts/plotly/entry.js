// Only what jixiao's charts use: core (scatter), bar, waterfall, and the zh-CN locale.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/waterfall'),
  require('plotly.js/lib/locales/zh-cn')
]);
module.exports = Plotly;
