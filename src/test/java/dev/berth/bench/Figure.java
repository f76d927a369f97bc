package dev.berth.bench;

/**
 * One line of the benchmark table: what was measured, its target and whether it was met, and a
 * baseline measured in the same run with the ratio, because the machine is shared and noisy.
 */
record Figure(String name, String measured, String target, Verdict verdict, String baseline, String ratio,
        String note) {

    enum Verdict {
        MET("met"), MISSED("MISSED"), VOID("not measured"), REPORTED("reported, no bound");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    static Verdict atLeast(double measured, double target) {
        return measured >= target ? Verdict.MET : Verdict.MISSED;
    }

    static Verdict atMost(double measured, double target) {
        return measured <= target ? Verdict.MET : Verdict.MISSED;
    }
}
