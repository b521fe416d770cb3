using Engine.Ode.Tableaus;

namespace Engine.Ode;

/// <summary>The built-in Runge-Kutta methods, named as in torchdiffeq, for <see cref="OdeOptions.Solver"/>.</summary>
public static class Solvers
{
    /// <summary>Forward Euler, order 1, fixed steps only.</summary>
    public static ButcherTableau Euler { get; } = ClassicTableaus.Euler();

    /// <summary>Explicit midpoint rule, order 2, fixed steps only.</summary>
    public static ButcherTableau Midpoint { get; } = ClassicTableaus.Midpoint();

    /// <summary>Heun's method (explicit trapezoidal rule), order 2, fixed steps only.</summary>
    public static ButcherTableau Heun { get; } = ClassicTableaus.Heun();

    /// <summary>The classic Runge-Kutta method, order 4, fixed steps only.</summary>
    public static ButcherTableau Rk4 { get; } = ClassicTableaus.Rk4();

    /// <summary>Kutta's 3/8 rule, order 4, fixed steps only.</summary>
    public static ButcherTableau Rk38 { get; } = ClassicTableaus.Rk38();

    /// <summary>Bogacki-Shampine 3(2), adaptive, cubic Hermite dense output.</summary>
    public static ButcherTableau Bosh3 { get; } = Bosh3Tableau.Create();

    /// <summary>Dormand-Prince 5(4), adaptive, 4th-order dense output (the default).</summary>
    public static ButcherTableau Dopri5 { get; } = Dopri5Tableau.Create();

    /// <summary>Tsitouras 5(4), adaptive, with its 4th-order interpolant.</summary>
    public static ButcherTableau Tsit5 { get; } = Tsit5Tableau.Create();

    /// <summary>Dormand-Prince 8(5,3) (DOP853), adaptive, with its 7th-order dense output.</summary>
    public static ButcherTableau Dopri8 { get; } = Dopri8Tableau.Create();

    /// <summary>Every built-in method.</summary>
    public static IReadOnlyList<ButcherTableau> All { get; } = [Euler, Midpoint, Heun, Rk4, Rk38, Bosh3, Dopri5, Tsit5, Dopri8];
}
