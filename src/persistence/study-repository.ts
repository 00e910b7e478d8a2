import type { ComparisonJobRecord } from './comparison-records.js';
import type { PrismaClient } from './generated/client.js';
import { jsonValue } from './json-values.js';
import { normaliseTypedId, shortId, withFreshId } from './short-id.js';
import { assertInTeam, ensureTeamRow } from './team-scope.js';

export type StudyKind = 'scaling';

export interface StudyRecord {
  /** `st-` and six characters people can type, e.g. `st-k3x9qp`. */
  id: string;
  teamId: string;
  conversationKey: string;
  requesterId: string;
  kind: StudyKind;
  request: unknown;
  createdAt: Date;
}

export interface StudyWithJobs extends StudyRecord {
  /** Its comparisons, oldest first, each with its runs. */
  jobs: ComparisonJobRecord[];
}

export interface NewStudy {
  teamKey: string;
  conversationKey: string;
  requesterId: string;
  kind: StudyKind;
  request: unknown;
}

export const STUDY_PREFIX = 'st-';
export const newStudyId = (): string => `${STUDY_PREFIX}${shortId(6)}`;
export const isStudyId = (id: string): boolean => normaliseTypedId(id).startsWith(STUDY_PREFIX);

const withJobs = {
  jobs: {
    orderBy: [{ createdAt: 'asc' as const }, { id: 'asc' as const }],
    include: { runs: { orderBy: { ordinal: 'asc' as const } } },
  },
};

/** Studies: several comparisons asked for at once and summarised together (a scaling study). */
export class StudyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: NewStudy): Promise<StudyRecord> {
    assertInTeam(input.teamKey, input.conversationKey, 'conversation key');
    await ensureTeamRow(this.prisma, input.teamKey);
    const request = jsonValue(input.request, 'study request');
    const row = await withFreshId(newStudyId, (id) =>
      this.prisma.comparisonStudy.create({
        data: {
          id,
          teamId: input.teamKey,
          conversationKey: input.conversationKey,
          requesterId: input.requesterId,
          kind: input.kind,
          request,
        },
      }),
    );
    return row as StudyRecord;
  }

  /** The team's study with this id (as typed), with its comparisons; null when it is not the team's. */
  async get(teamKey: string, id: string): Promise<StudyWithJobs | null> {
    const row = await this.prisma.comparisonStudy.findFirst({
      where: { id: normaliseTypedId(id), teamId: teamKey },
      include: withJobs,
    });
    return row as StudyWithJobs | null;
  }

  async getById(id: string): Promise<StudyWithJobs | null> {
    const row = await this.prisma.comparisonStudy.findUnique({
      where: { id: normaliseTypedId(id) },
      include: withJobs,
    });
    return row as StudyWithJobs | null;
  }
}
