import type { Command } from 'commander'
import { accountId, type CliContext } from '../context'
import { formatBytes } from '../output'

/** The storage class column: as wide as "Standard-IA"; a longer name pushes its key along, nothing is cut. */
const CLASS_WIDTH = 11

export function registerBrowseCommands(
  program: Command,
  run: (action: (ctx: CliContext) => Promise<number>) => Promise<void>,
) {
  program
    .command('ls [path]')
    .description('list buckets, or the folders and objects of bucket[/prefix]')
    .option('--account <name>', 'account (default: the only one)')
    .action((path: string | undefined, options: { account?: string }) =>
      run(async ({ client, out }) => {
        const id = await accountId(client, options.account)
        if (!path) {
          const buckets = await client.call('storage:buckets', id)
          out.result(buckets, buckets.map((b) => b.name).join('\n') || '(no buckets)')
          return 0
        }
        const [bucket = '', ...rest] = path.split('/')
        const prefix = rest.length && rest.join('/') ? `${rest.join('/').replace(/\/$/, '')}/` : ''
        const lines: string[] = []
        const all = {
          folders: [] as string[],
          objects: [] as { key: string; size: number; storageClass?: string }[],
        }
        let token: string | undefined
        do {
          const page = await client.call('storage:list', {
            accountId: id,
            bucket,
            prefix,
            continuationToken: token,
          })
          all.folders.push(...page.folders)
          all.objects.push(...page.objects)
          // Size, storage class (the provider's name: Standard, Warm, Cold...), key; folders have neither.
          lines.push(...page.folders.map((f) => `${''.padStart(10)}  ${''.padEnd(CLASS_WIDTH)}  ${f}`))
          lines.push(
            ...page.objects.map(
              (o) =>
                `${formatBytes(o.size).padStart(10)}  ${(o.storageClassLabel ?? o.storageClass ?? '').padEnd(CLASS_WIDTH)}  ${o.key}`,
            ),
          )
          token = page.nextToken
        } while (token)
        out.result(all, lines.join('\n') || '(empty)')
        return 0
      }),
    )

  program
    .command('keys')
    .description('the KMS keys an upload can use, default key first')
    .option('--account <name>', 'account (default: the only one)')
    .option('--add <id>', 'remember a key id typed by hand (when the server cannot list keys)')
    .option('--remove <id>', 'forget a key id typed by hand')
    .action((options: { account?: string; add?: string; remove?: string }) =>
      run(async ({ client, out }) => {
        const id = await accountId(client, options.account)
        if (options.remove) await client.call('kms:remove-manual', id, options.remove)
        if (options.add) await client.call('kms:add-manual', id, options.add)
        const listing = await client.call('kms:keys', id)
        const lines = listing.keys.map(
          (k) =>
            `${k.isDefault ? '*' : ' '} ${(k.alias ?? '').padEnd(24)} ${k.id.padEnd(38)} ${k.state}${k.origin === 'manual' ? ' (typed by hand)' : ''}`,
        )
        if (listing.keys.length === 0) {
          lines.push(
            'No KMS key known for this account: this server cannot list its keys. Add one with `obs-sync keys --add <id>`.',
          )
        }
        if (listing.listingError) lines.push(`Note: ${listing.listingError.message}`)
        out.result(listing, lines.join('\n'))
        return 0
      }),
    )
}
