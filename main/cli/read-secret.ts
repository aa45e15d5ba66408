import { ContractError as AppError } from '../ipc/contract-client'

/** Reads all of stdin (for `--secret-stdin`: the secret never appears in the process list or shell history). */
export async function readStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

/** Asks for a secret on the terminal without echoing it. */
export async function promptHidden(
  question: string,
  stdin = process.stdin,
  out = process.stderr,
): Promise<string> {
  if (!stdin.isTTY) {
    throw new AppError(
      'INVALID_ARGUMENT',
      'No terminal to ask for the secret key: pass it on stdin with --secret-stdin.',
    )
  }
  out.write(question)
  stdin.setRawMode(true)
  stdin.resume()
  let secret = ''
  try {
    for await (const chunk of stdin) {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return secret
        if (char === '\u0003') throw new AppError('INVALID_ARGUMENT', 'Cancelled.')
        if (char === '\u007f') secret = secret.slice(0, -1)
        else secret += char
      }
    }
    return secret
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    out.write('\n')
  }
}
