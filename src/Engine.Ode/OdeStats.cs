namespace Engine.Ode;

/// <summary>What a solve cost.</summary>
/// <param name="ForwardEvaluations">Calls of the dynamics f during the forward solve, including the initial step selection and dense-output stages.</param>
/// <param name="AcceptedSteps">Steps taken (every step of a fixed grid).</param>
/// <param name="RejectedSteps">Adaptive steps whose error estimate exceeded the tolerance and were retried with a smaller step.</param>
public sealed record OdeStats(int ForwardEvaluations, int AcceptedSteps, int RejectedSteps);
