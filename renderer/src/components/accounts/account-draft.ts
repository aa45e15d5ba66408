import { computed, reactive, ref } from 'vue'
import { fillRegion } from '../../../../preload/contract/endpoint-template'
import type { Account, AccountInput, Provider, ProviderPresetInfo } from '../../../../preload/contract/models'
import { t } from '../../i18n'

/** The add/edit form's state, with the preset logic: choosing a provider fills endpoint, region and addressing. */
export function useAccountDraft(presets: () => ProviderPresetInfo[]) {
  const draft = reactive({
    name: '',
    provider: 'huawei-obs' as Provider,
    endpoint: '',
    region: '',
    addressing: 'virtual-hosted' as AccountInput['addressing'],
    accessKeyId: '',
    secretAccessKey: '',
    projectId: '',
    caFile: '',
    proxy: '',
  })
  // The endpoint follows the preset template until the user types their own.
  const endpointFromTemplate = ref(true)
  const nameTouched = ref(false)

  const preset = computed(() => presets().find((p) => p.id === draft.provider))
  const needsProjectId = computed(() => draft.provider === 'huawei-obs' || draft.provider === 'otc-obs')

  function applyPreset(id: Provider): void {
    draft.provider = id
    const p = preset.value
    if (!p) return
    draft.region = p.defaultRegion
    draft.addressing = p.addressing
    draft.endpoint = fillRegion(p.endpointTemplate, p.defaultRegion)
    endpointFromTemplate.value = true
    if (!nameTouched.value) draft.name = p.label
  }

  function setRegion(region: string): void {
    draft.region = region
    if (endpointFromTemplate.value && preset.value?.endpointTemplate) {
      draft.endpoint = fillRegion(preset.value.endpointTemplate, region)
    }
  }

  function setEndpoint(endpoint: string): void {
    draft.endpoint = endpoint
    endpointFromTemplate.value = endpoint === fillRegion(preset.value?.endpointTemplate, draft.region)
  }

  function setName(name: string): void {
    draft.name = name
    nameTouched.value = true
  }

  function loadAccount(account: Account): void {
    Object.assign(draft, {
      name: account.name,
      provider: account.provider,
      endpoint: account.endpoint,
      region: account.region,
      addressing: account.addressing,
      accessKeyId: account.accessKeyId,
      secretAccessKey: '',
      projectId: account.projectId ?? '',
      caFile: account.caFile ?? '',
      proxy: account.proxy ?? '',
    })
    nameTouched.value = true
    endpointFromTemplate.value = false
  }

  /** What accounts:add / accounts:update get; an empty secret on edit keeps the one in the keychain. */
  function toInput(existing?: Account): AccountInput {
    const optional = (value: string) => (value.trim() ? value.trim() : undefined)
    return {
      name: draft.name.trim(),
      provider: draft.provider,
      endpoint: draft.endpoint.trim(),
      region: draft.region.trim(),
      addressing: draft.addressing,
      accessKeyId: draft.accessKeyId.trim(),
      secretAccessKey: draft.secretAccessKey ? draft.secretAccessKey : undefined,
      projectId: needsProjectId.value ? optional(draft.projectId) : undefined,
      caFile: optional(draft.caFile),
      proxy: optional(draft.proxy),
      manualKmsKeyIds: existing?.manualKmsKeyIds,
    }
  }

  /** What is missing before saving, in words; undefined when the form can be sent. */
  function problem(isNew: boolean): string | undefined {
    if (!draft.name.trim()) return t('account.problemName')
    if (!draft.endpoint.trim()) return t('account.problemEndpoint')
    if (!/^https?:\/\//i.test(draft.endpoint.trim())) return t('account.problemScheme')
    if (!draft.accessKeyId.trim()) return t('account.problemAccessKey')
    if (isNew && !draft.secretAccessKey) return t('account.problemSecret')
    return undefined
  }

  return {
    draft,
    preset,
    needsProjectId,
    applyPreset,
    setRegion,
    setEndpoint,
    setName,
    loadAccount,
    toInput,
    problem,
  }
}
