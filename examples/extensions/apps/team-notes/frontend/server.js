const http = require("http");
const port = Number(process.env.PORT || 3000);
http.createServer((req, res) => {
  if (req.url === "/health") { res.writeHead(200); return res.end("ok"); }
  res.writeHead(200, {"content-type": "text/html"});
  res.end("<h1>Team Notes</h1>");
}).listen(port);
