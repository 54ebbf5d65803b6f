// The citizen's cards (GET /me/cards), for the screens that act on one.
import { api } from './api'

export async function myCards(): Promise<any[]> {
  return (await api<{ items: any[] }>('GET', '/api/v1/me/cards')).items || []
}

// A card that can still be reported lost, lifted or activated (not replaced, cancelled …).
export const inUse = (card: any) => ['issued', 'active', 'temporary_loss'].includes(card.status)
