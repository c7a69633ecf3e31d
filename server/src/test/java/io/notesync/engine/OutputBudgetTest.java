package io.notesync.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link OutputBudget} cuts off, and in which order. */
class OutputBudgetTest {

    /** A holder whose cut-off releases what it holds, as closing a channel does (here at once). */
    private static final class FakeHolder extends OutputHolder {
        private final String name;
        private final long limit;
        private final AtomicLong held = new AtomicLong();
        private final List<String> cut;
        private OutputBudget budget;

        FakeHolder(String name, long limit, List<String> cut) {
            this.name = name;
            this.limit = limit;
            this.cut = cut;
        }

        void hold(OutputBudget budget, long bytes) {
            this.budget = budget;
            budget.changed(this, bytes, held.addAndGet(bytes));
        }

        @Override
        long held() {
            return held.get();
        }

        @Override
        long limit() {
            return limit;
        }

        @Override
        void cutOff(String reason) {
            cut.add(name + ": " + reason);
            long released = held.getAndSet(0);
            budget.changed(this, -released, 0);
        }
    }

    private static void awaitCuts(List<String> cut, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cut.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void aHolderOverItsOwnBoundIsCutOffAsASlowConsumer() throws InterruptedException {
        List<String> cut = new CopyOnWriteArrayList<>();
        try (OutputBudget budget = new OutputBudget(1_000, 1_000_000)) {
            FakeHolder socket = new FakeHolder("socket", budget.perSocket(), cut);
            socket.hold(budget, 900);
            socket.hold(budget, 200);
            awaitCuts(cut, 1);
            assertEquals(List.of("socket: slow consumer (1100 bytes held)"), cut);
            assertEquals(1, budget.slowConsumersCutOff());
            assertEquals(0, budget.cutOffOverBudget());
            assertEquals(0, budget.held());
        }
    }

    @Test
    void overTheBudgetTheLargestHoldersAreCutOffFirstUntilUnderThreeQuartersOfIt() throws InterruptedException {
        List<String> cut = new CopyOnWriteArrayList<>();
        try (OutputBudget budget = new OutputBudget(Long.MAX_VALUE / 2, 1_000)) {
            List<FakeHolder> holders = new ArrayList<>();
            long[] sizes = {100, 400, 50, 300, 200};
            for (int i = 0; i < sizes.length; i++) {
                FakeHolder holder = new FakeHolder("h" + sizes[i], Long.MAX_VALUE, cut);
                holders.add(holder);
            }
            for (int i = 0; i < sizes.length - 1; i++) {
                holders.get(i).hold(budget, sizes[i]);
            }
            assertTrue(cut.isEmpty(), "cut off under the budget: " + cut);
            holders.get(sizes.length - 1).hold(budget, sizes[sizes.length - 1]); // 1,050 > 1,000
            awaitCuts(cut, 1);
            Thread.sleep(200); // a trim that went further would have done so by now
            // 1,050 - 400 = 650 <= 750: the largest alone brings it under three quarters.
            assertEquals(1, cut.size(), cut.toString());
            assertTrue(cut.get(0).startsWith("h400: slow consumer (400 bytes held; the server held 1050 bytes"), cut.get(0));
            assertEquals(1, budget.cutOffOverBudget());
            assertEquals(650, budget.held());
        }
    }
}
