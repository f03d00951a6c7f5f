"""Hold N progress streams open against a server until stopped; print what they received.

usage: sse_clients.py PORT TOKEN AUDIT_ID... (one stream per audit id). On SIGTERM or
SIGINT prints one BENCH_JSON line: streams opened, streams answered 200, frames, heartbeats.
"""

import asyncio
import json
import signal
import sys

FRAME_END = b"\n\n"


async def _stream(port: int, token: str, audit_id: str, totals: dict) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    totals["opened"] += 1
    writer.write(
        f"GET /api/v1/sse/audits/{audit_id}/progress HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if head.split(b" ", 2)[1] == b"200":
        totals["answered"] += 1
    buffer = b""
    while chunk := await reader.read(65536):
        buffer += chunk
        totals["frames"] += buffer.count(b"data: ")
        totals["heartbeats"] += buffer.count(b": heartbeat")
        buffer = buffer[buffer.rfind(FRAME_END) + 2 :] if FRAME_END in buffer else buffer
    writer.close()


async def main(port: int, token: str, audit_ids: list[str]) -> None:
    totals = {"opened": 0, "answered": 0, "frames": 0, "heartbeats": 0}
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(_stream(port, token, audit_id, totals)) for audit_id in audit_ids]
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print("BENCH_JSON " + json.dumps(totals), flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3:]))
