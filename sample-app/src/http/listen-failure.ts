/** What to tell the person who ran `npm start` when the port cannot be had; undefined for other errors. */
export function listenFailure(error: unknown, port: number): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return `Port ${port} is already in use: stop what listens there, or start on another port (PORT=${port + 1} npm start)`;
  if (code === 'EACCES')
    return `Port ${port} needs privileges this process does not have: start on a port above 1023 (PORT=3000 npm start)`;
  return undefined;
}
