module.exports = require("./simulation-cache-global").setup;
