namespace Engine.Ode.Tableaus;

/// <summary>The fixed-step methods: Euler, explicit midpoint, Heun (trapezoidal), classic RK4 and the 3/8 rule.</summary>
internal static class ClassicTableaus
{
    public static ButcherTableau Euler() => new("euler", 1, [0], [[]], [1]);

    public static ButcherTableau Midpoint() => new("midpoint", 2, [0, 0.5], [[], [0.5]], [0, 1]);

    public static ButcherTableau Heun() => new("heun", 2, [0, 1], [[], [1]], [0.5, 0.5]);

    public static ButcherTableau Rk4() => new("rk4", 4,
        [0, 0.5, 0.5, 1],
        [[], [0.5], [0, 0.5], [0, 0, 1]],
        [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6]);

    public static ButcherTableau Rk38() => new("rk4-3/8", 4,
        [0, 1.0 / 3, 2.0 / 3, 1],
        [[], [1.0 / 3], [-1.0 / 3, 1], [1, -1, 1]],
        [1.0 / 8, 3.0 / 8, 3.0 / 8, 1.0 / 8]);
}
