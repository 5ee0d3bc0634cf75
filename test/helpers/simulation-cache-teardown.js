module.exports = require("./simulation-cache-global").teardown;
