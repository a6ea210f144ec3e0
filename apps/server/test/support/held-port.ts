import net from "node:net";

/** A free TCP port of 127.0.0.1 and the server holding it (close it to free the port). */
export async function holdPort(): Promise<{ port: number; close(): Promise<void> }> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const { port } = holder.address() as net.AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => holder.close(() => resolve())) };
}
