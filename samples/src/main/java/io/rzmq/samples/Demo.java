package io.rzmq.samples;

/** The tour of rzmq: grows with the runtime. */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        System.out.println("rzmq demo: the runtime is not built yet");
    }
}
