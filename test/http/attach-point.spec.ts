import axios from 'axios';
import { describeAttachPoint } from './attach-point.scenarios.js';

describeAttachPoint(axios);
