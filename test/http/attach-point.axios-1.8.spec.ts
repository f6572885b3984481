import axios from 'axios';
import { expect, it, vi } from 'vitest';
import { describeAttachPoint } from './attach-point.scenarios.js';

// The lowest axios of the peer range (^1.8.0), for this file and the module under test alike.
vi.mock('axios', async () => await import('axios-1.8'));

it('is axios 1.8.4', () => expect(axios.VERSION).toBe('1.8.4'));

describeAttachPoint(axios);
