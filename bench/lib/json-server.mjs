// A minimal keep-alive HTTP server on 127.0.0.1 answering every request with a small JSON body.
// Run as its own process (so it does not share the client's event loop); prints its port on stdout.
import { createServer } from "node:http";

const body = Buffer.from(
  JSON.stringify({
    id: "0b3e5c1a-9a7e-4d7b-8c1e-2f7a9d3c5e11",
    created: "2025-01-01T00:00:00Z",
    updated: "2025-01-01T00:00:00Z",
    name: "bench-flow",
    tags: ["bench"],
    labels: {},
  }),
);
const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    response.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.stdin.on("end", () => process.exit(0)); // parent gone
process.stdin.resume();
