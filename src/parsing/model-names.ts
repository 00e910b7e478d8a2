/**
 * Open model families whose names do not always carry their size, with published parameter
 * counts (billions): "mixtral 8x7b" is about 47B in total with 13B active per token, "gpt-2
 * small" 124M. A family with several sizes and none named ("llama 3", "mixtral") lists them to
 * ask. Hosted models whose weights are not published are named as such.
 */
export interface ModelSize {
  /** Parameters in billions, all of them (what full fine-tuning updates and stores). */
  totalB: number;
  /** Parameters used per token, for mixtures of experts (what each step computes). */
  activeB?: number;
  /** The model as the reply names it ("Mixtral 8x7B"). */
  name?: string;
}

export interface KnownModel {
  pattern: RegExp;
  name: string;
  /** One size, or the sizes the family comes in. */
  sizes: ModelSize[];
}

const size = (totalB: number, name: string, activeB?: number): ModelSize => ({
  totalB,
  name,
  ...(activeB !== undefined ? { activeB } : {}),
});

/** Most specific first. Patterns run on cleaned text where "_" and "/" became spaces. */
export const KNOWN_MODELS: KnownModel[] = [
  {
    pattern: /\b(?:mixtral[\s-]*)?8\s*x\s*7\s*b\b/,
    name: 'Mixtral 8x7B',
    sizes: [size(46.7, 'Mixtral 8x7B', 12.9)],
  },
  {
    pattern: /\b(?:mixtral[\s-]*)?8\s*x\s*22\s*b\b/,
    name: 'Mixtral 8x22B',
    sizes: [size(141, 'Mixtral 8x22B', 39)],
  },
  {
    pattern: /\bmixtral\b/,
    name: 'Mixtral',
    sizes: [size(46.7, 'Mixtral 8x7B', 12.9), size(141, 'Mixtral 8x22B', 39)],
  },
  {
    pattern: /\bdeepseek[\s-]*(?:v3|r1)\b(?![\s-]*distill)/,
    name: 'DeepSeek-V3',
    sizes: [size(671, 'DeepSeek-V3 / R1', 37)],
  },
  { pattern: /\bgrok[\s-]*1\b/, name: 'Grok-1', sizes: [size(314, 'Grok-1', 86)] },
  { pattern: /\bgpt[\s-]*2[\s-]*(?:xl|extra large)\b/, name: 'GPT-2 XL', sizes: [size(1.5, 'GPT-2 XL')] },
  { pattern: /\bgpt[\s-]*2[\s-]*large\b/, name: 'GPT-2 large', sizes: [size(0.774, 'GPT-2 large')] },
  { pattern: /\bgpt[\s-]*2[\s-]*medium\b/, name: 'GPT-2 medium', sizes: [size(0.355, 'GPT-2 medium')] },
  {
    pattern: /\bgpt[\s-]*2(?:[\s-]*small)?\b(?!\.\d)/,
    name: 'GPT-2 small',
    sizes: [size(0.124, 'GPT-2 small')],
  },
  { pattern: /\bgpt[\s-]*j\b/, name: 'GPT-J', sizes: [size(6, 'GPT-J 6B')] },
  { pattern: /\bdistil[\s-]*bert\b/, name: 'DistilBERT', sizes: [size(0.066, 'DistilBERT')] },
  { pattern: /\bdistil[\s-]*gpt[\s-]*2\b/, name: 'DistilGPT2', sizes: [size(0.082, 'DistilGPT2')] },
  { pattern: /\broberta[\s-]*large\b/, name: 'RoBERTa large', sizes: [size(0.355, 'RoBERTa large')] },
  { pattern: /\broberta(?:[\s-]*base)?\b/, name: 'RoBERTa base', sizes: [size(0.125, 'RoBERTa base')] },
  {
    pattern: /\bdeberta[\s-]*(?:v3[\s-]*)?large\b/,
    name: 'DeBERTa large',
    sizes: [size(0.435, 'DeBERTa-v3 large')],
  },
  {
    pattern: /\bdeberta(?:[\s-]*v3)?(?:[\s-]*base)?\b/,
    name: 'DeBERTa base',
    sizes: [size(0.184, 'DeBERTa-v3 base')],
  },
  { pattern: /\bbert[\s-]*large\b/, name: 'BERT large', sizes: [size(0.34, 'BERT large')] },
  { pattern: /\bbert(?:[\s-]*base)?\b/, name: 'BERT base', sizes: [size(0.11, 'BERT base')] },
  { pattern: /\b(?:flan[\s-]*)?t5[\s-]*xxl\b/, name: 'T5 XXL', sizes: [size(11, 'T5 XXL')] },
  { pattern: /\b(?:flan[\s-]*)?t5[\s-]*xl\b/, name: 'T5 XL', sizes: [size(3, 'T5 XL')] },
  { pattern: /\b(?:flan[\s-]*)?t5[\s-]*large\b/, name: 'T5 large', sizes: [size(0.77, 'T5 large')] },
  { pattern: /\b(?:flan[\s-]*)?t5[\s-]*base\b/, name: 'T5 base', sizes: [size(0.22, 'T5 base')] },
  { pattern: /\b(?:flan[\s-]*)?t5[\s-]*small\b/, name: 'T5 small', sizes: [size(0.06, 'T5 small')] },
  {
    pattern: /\b(?:flan[\s-]*)?t5\b/,
    name: 'T5',
    sizes: [size(0.06, 'T5 small'), size(0.22, 'T5 base'), size(0.77, 'T5 large'), size(3, 'T5 XL')],
  },
  { pattern: /\btiny[\s-]*llama\b/, name: 'TinyLlama', sizes: [size(1.1, 'TinyLlama 1.1B')] },
  { pattern: /\bllama[\s-]*3\.3\b/, name: 'Llama 3.3', sizes: [size(70, 'Llama 3.3 70B')] },
  {
    pattern: /\bllama[\s-]*3\.2\b/,
    name: 'Llama 3.2',
    sizes: [size(1, 'Llama 3.2 1B'), size(3, 'Llama 3.2 3B')],
  },
  {
    pattern: /\bllama[\s-]*3\.1\b/,
    name: 'Llama 3.1',
    sizes: [size(8, 'Llama 3.1 8B'), size(70, 'Llama 3.1 70B'), size(405, 'Llama 3.1 405B')],
  },
  { pattern: /\bllama[\s-]*3\b/, name: 'Llama 3', sizes: [size(8, 'Llama 3 8B'), size(70, 'Llama 3 70B')] },
  {
    pattern: /\bllama[\s-]*2\b/,
    name: 'Llama 2',
    sizes: [size(7, 'Llama 2 7B'), size(13, 'Llama 2 13B'), size(70, 'Llama 2 70B')],
  },
  {
    pattern: /\bcode[\s-]*llama\b/,
    name: 'Code Llama',
    sizes: [
      size(7, 'Code Llama 7B'),
      size(13, 'Code Llama 13B'),
      size(34, 'Code Llama 34B'),
      size(70, 'Code Llama 70B'),
    ],
  },
  {
    pattern: /\bllama\b/,
    name: 'Llama',
    sizes: [
      size(3, 'Llama 3.2 3B'),
      size(8, 'Llama 3.1 8B'),
      size(13, 'Llama 2 13B'),
      size(70, 'Llama 3.3 70B'),
    ],
  },
  { pattern: /\bmistral[\s-]*large\b/, name: 'Mistral Large', sizes: [size(123, 'Mistral Large 2')] },
  { pattern: /\bmistral[\s-]*small\b/, name: 'Mistral Small', sizes: [size(24, 'Mistral Small 3')] },
  { pattern: /\bmistral[\s-]*nemo\b/, name: 'Mistral NeMo', sizes: [size(12, 'Mistral NeMo 12B')] },
  { pattern: /\bmistral\b/, name: 'Mistral', sizes: [size(7.3, 'Mistral 7B')] },
  { pattern: /\bphi[\s-]*1(?:\.5)?\b/, name: 'Phi-1.5', sizes: [size(1.3, 'Phi-1.5')] },
  { pattern: /\bphi[\s-]*2\b/, name: 'Phi-2', sizes: [size(2.7, 'Phi-2')] },
  { pattern: /\bphi[\s-]*3(?:\.5)?[\s-]*mini\b/, name: 'Phi-3 mini', sizes: [size(3.8, 'Phi-3 mini')] },
  { pattern: /\bphi[\s-]*3[\s-]*small\b/, name: 'Phi-3 small', sizes: [size(7, 'Phi-3 small')] },
  { pattern: /\bphi[\s-]*3[\s-]*medium\b/, name: 'Phi-3 medium', sizes: [size(14, 'Phi-3 medium')] },
  {
    pattern: /\bphi[\s-]*3(?:\.5)?\b/,
    name: 'Phi-3',
    sizes: [size(3.8, 'Phi-3 mini'), size(7, 'Phi-3 small'), size(14, 'Phi-3 medium')],
  },
  { pattern: /\bphi[\s-]*4[\s-]*mini\b/, name: 'Phi-4 mini', sizes: [size(3.8, 'Phi-4 mini')] },
  { pattern: /\bphi[\s-]*4\b/, name: 'Phi-4', sizes: [size(14, 'Phi-4')] },
  {
    pattern: /\bgemma[\s-]*3\b/,
    name: 'Gemma 3',
    sizes: [size(1, 'Gemma 3 1B'), size(4, 'Gemma 3 4B'), size(12, 'Gemma 3 12B'), size(27, 'Gemma 3 27B')],
  },
  {
    pattern: /\bgemma[\s-]*2\b/,
    name: 'Gemma 2',
    sizes: [size(2, 'Gemma 2 2B'), size(9, 'Gemma 2 9B'), size(27, 'Gemma 2 27B')],
  },
  { pattern: /\bgemma\b/, name: 'Gemma', sizes: [size(2, 'Gemma 2B'), size(7, 'Gemma 7B')] },
  {
    pattern: /\bqwen[\s-]*[\d.]*\b/,
    name: 'Qwen',
    sizes: [size(1.5, 'Qwen 1.5B'), size(7, 'Qwen 7B'), size(14, 'Qwen 14B'), size(72, 'Qwen 72B')],
  },
  {
    pattern: /\bfalcon\b/,
    name: 'Falcon',
    sizes: [size(7, 'Falcon 7B'), size(40, 'Falcon 40B'), size(180, 'Falcon 180B')],
  },
  {
    pattern: /\bstar[\s-]*coder[\s-]*2\b/,
    name: 'StarCoder2',
    sizes: [size(3, 'StarCoder2 3B'), size(7, 'StarCoder2 7B'), size(15, 'StarCoder2 15B')],
  },
  { pattern: /\bstar[\s-]*coder\b/, name: 'StarCoder', sizes: [size(15.5, 'StarCoder 15.5B')] },
  { pattern: /\bcommand[\s-]*r[\s-]*(?:\+|plus)/, name: 'Command R+', sizes: [size(104, 'Command R+')] },
  { pattern: /\bcommand[\s-]*r\b/, name: 'Command R', sizes: [size(35, 'Command R')] },
  { pattern: /\bbloom\b/, name: 'BLOOM', sizes: [size(176, 'BLOOM 176B')] },
  { pattern: /\bolmo\b/, name: 'OLMo', sizes: [size(7, 'OLMo 7B')] },
  {
    pattern: /\bsmol[\s-]*lm\b/,
    name: 'SmolLM',
    sizes: [size(0.135, 'SmolLM 135M'), size(0.36, 'SmolLM 360M'), size(1.7, 'SmolLM 1.7B')],
  },
];

/** Hosted models whose weights (and sizes) are not published: they cannot be fine-tuned here. */
export const CLOSED_MODELS =
  /\b(gpt[\s-]*3\.5(?:[\s-]*turbo)?|gpt[\s-]*4(?:o|\.1)?(?:[\s-]*mini)?|gpt[\s-]*5|gpt[\s-]*3|chat[\s-]*gpt|claude(?:[\s-]*\d(?:\.\d)?)?|gemini(?:[\s-]*\d(?:\.\d)?)?(?:[\s-]*(?:pro|flash|ultra))?|o1|o3|palm[\s-]*2?)\b/;
