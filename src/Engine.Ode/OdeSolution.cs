namespace Engine.Ode;

/// <summary>
/// The result of <see cref="Ode"/>.Solve: the states at the requested times, stacked along a new first
/// dimension (a tensor of shape [times, ...z0.shape], or one such tensor per component of a tuple state), as
/// <c>odeint</c> returns them, and the cost of the solve.
/// </summary>
/// <typeparam name="TState"><see cref="Tensor"/> or <see cref="OdeState"/>, like z0.</typeparam>
/// <param name="States">States at the requested times; element 0 is z0.</param>
/// <param name="Stats">Function evaluations and steps.</param>
public sealed record OdeSolution<TState>(TState States, OdeStats Stats);
