namespace Engine.Ode.Tests.Support;

/// <summary>An initial value problem in F64 with a known solution.</summary>
internal abstract class Problem
{
    public abstract string Name { get; }
    public abstract int[] Shape { get; }
    public abstract double[] Y0 { get; }

    /// <summary>The end of the interval the convergence tests integrate over, from t = 0.</summary>
    public abstract double End { get; }

    /// <summary>dy/dt as tensor code; constants are made on each call, so they belong to the caller's scope.</summary>
    public abstract Tensor Derivative(Tensor t, Tensor y);

    /// <summary>The exact y(t), row-major.</summary>
    public abstract double[] Exact(double t);

    public Tensor InitialState() => Tensor.From(Y0, Shape);

    public override string ToString() => Name;

    /// <summary>
    /// y' = A y for a weakly damped, non-normal 3 x 3 A with complex eigenvalues and two initial conditions, over
    /// three periods; y(t) = exp(A t) y0.
    /// </summary>
    public static Problem Linear { get; } = new LinearSystem();

    /// <summary>y' = -2 t y^2 (nonlinear and non-autonomous, so the stage times c_i matter); y(t) = y0 / (1 + y0 t^2).</summary>
    public static Problem Riccati { get; } = new RiccatiEquation();

    private sealed class LinearSystem : Problem
    {
        private static readonly double[,] A = { { -0.05, 1.0, 0.2 }, { -1.0, -0.03, 0.4 }, { 0.1, -0.2, -0.08 } };

        public override string Name => "linear";
        public override double End => 20;
        public override int[] Shape => [2, 3];
        public override double[] Y0 => [1, 0.5, -0.3, -0.2, 0.8, 0.6];

        public override Tensor Derivative(Tensor t, Tensor y) => y.MatMul(Tensor.From(A).Transpose());

        public override double[] Exact(double t)
        {
            var scaled = new double[3, 3];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) scaled[i, j] = A[i, j] * t;
            var exp = MatrixExponential.Of(scaled);
            var y0 = Y0;
            return [.. MatrixExponential.Apply(exp, y0[..3]), .. MatrixExponential.Apply(exp, y0[3..])];
        }
    }

    private sealed class RiccatiEquation : Problem
    {
        public override string Name => "riccati";
        public override double End => 2;
        public override int[] Shape => [3];
        public override double[] Y0 => [1, 0.5, 2];

        public override Tensor Derivative(Tensor t, Tensor y) => y.Square() * (t * -2);

        public override double[] Exact(double t) => Y0.Select(y0 => y0 / (1 + y0 * t * t)).ToArray();
    }
}
