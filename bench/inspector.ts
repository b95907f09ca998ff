/**
 * The benchmark's window into a server it started with `--inspect=127.0.0.1:0`: through the
 * V8 inspector it can run a full garbage collection and read the process's own memory figures,
 * which tell memory in use from memory that garbage still occupies.
 */
export interface Inspector {
  /** A full garbage collection, then the process's memoryUsage(). */
  collectAndMeasure(): Promise<NodeJS.MemoryUsage>;
  close(): void;
}

/** Connects to the inspector whose address the process printed ("Debugger listening on ws://…"). */
export async function connectInspector(processOutput: string): Promise<Inspector> {
  const address = /Debugger listening on (ws:\/\/\S+)/.exec(processOutput)?.[1];
  if (!address) throw new Error(`the process printed no inspector address:\n${processOutput}`);
  const socket = new WebSocket(address);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let lastId = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id === undefined) return; // an event, not an answer
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++lastId;
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    async collectAndMeasure() {
      await call('HeapProfiler.collectGarbage');
      const answer = (await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as {
        result: { value: string };
      };
      return JSON.parse(answer.result.value) as NodeJS.MemoryUsage;
    },
    close: () => socket.close(),
  };
}
