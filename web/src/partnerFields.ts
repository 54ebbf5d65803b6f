// What a partner department may receive when a holder presents the card (R-ONE-6): the field
// vocabulary of its profile, in the server's order (src/domain/partner_profile.cc). The
// personal ones reach only accounts with the data_partner role, whatever the profile says.
// Labels: partnerField.<name> in the message catalogues.

export const PARTNER_FIELDS = ['masked_name', 'card', 'name', 'id_type', 'id_number', 'sex', 'birth_date', 'insured', 'bank'] as const
export type PartnerField = (typeof PARTNER_FIELDS)[number]

const PERSONAL: ReadonlySet<string> = new Set(['name', 'id_type', 'id_number', 'sex', 'birth_date', 'insured', 'bank'])
export const isPersonalField = (field: string) => PERSONAL.has(field)

// The fields of a list in the vocabulary's order, unknown names left out.
export const inFieldOrder = (fields: readonly string[]) => PARTNER_FIELDS.filter((field) => fields.includes(field))
