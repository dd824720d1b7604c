var grid = require('./grid/grid.sjs');
var keep = 'require("x.sjs") in a string';
module.exports = { grid: grid, keep: keep };
