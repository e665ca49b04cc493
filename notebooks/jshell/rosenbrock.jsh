// Gradient descent with and without heavy-ball momentum on Rosenbrock's valley, as a JShell script:
//   ./reprolab jshell notebooks/jshell/rosenbrock.jsh
// The same default imports as the notebooks are in scope; display(...) writes charts to PNG files.
var f = new Rosenbrock();
double[] start = {-1.5, 2.0};

double[] descend(Objective f, double[] start, double lr, double beta, int steps) {
    double[] x = start.clone(), v = new double[x.length];
    for (int t = 0; t < steps; t++) {
        double[] g = f.gradient(x);
        for (int i = 0; i < x.length; i++) {
            v[i] = beta * v[i] - lr * g[i];
            x[i] += v[i];
        }
    }
    return x;
}

System.out.printf("gradient descent final loss = %.3e%n", f.value(descend(f, start, 1e-3, 0.0, 3000)));
System.out.printf("heavy ball final loss = %.3e%n", f.value(descend(f, start, 1e-3, 0.9, 3000)));
display(LinePlot.titled("a line").series("y = x^2", new double[] {0, 1, 4, 9}));
