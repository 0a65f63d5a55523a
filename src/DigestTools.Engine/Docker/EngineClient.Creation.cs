using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// Creating a container so that what the engine made can always be found again: each create carries a random
    /// creation id as a label, and a reply that is lost, unreadable or names another container never leaves a
    /// container behind unreported.
    /// </summary>
    public sealed partial class EngineClient
    {
        /// <summary>
        /// A random id put on each container at creation, so a create whose reply was lost (timeout, unreadable
        /// answer) or named another id can still find and remove what the engine made.
        /// </summary>
        public const string CreationIdLabel = "io.digesttools.creation-id";

        /// <summary>
        /// How long a create whose reply never arrived is looked for: the engine may carry it out after the call
        /// gave up (a slow engine, a request still queued), so one look is not enough.
        /// </summary>
        public static readonly TimeSpan UnconfirmedCreateWatch = TimeSpan.FromSeconds(3);

        private static readonly TimeSpan s_unconfirmedCreatePoll = TimeSpan.FromMilliseconds(250);

        /// <summary>
        /// POST /containers/create; returns the id the reply named and the creation id. When the reply is lost
        /// (EngineTimeout, NotAContainerEngine) or the call is stopped, the engine may still create it: the
        /// container carrying this create's <see cref="CreationIdLabel"/> is looked for during
        /// <see cref="UnconfirmedCreateWatch"/> and removed, and the error says what was found.
        /// </summary>
        /// <exception cref="FailureException">ContainerNameInUse, ImageNotFound, ContainerCreationFailed, EngineTimeout, NotAContainerEngine.</exception>
        public async Task<CreatedContainer> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
        {
            CreateContainerParameters parameters = ContainerSpecTranslator.ToParameters(spec, ApiVersion);
            string creationId = Guid.NewGuid().ToString("n");
            parameters.Labels = parameters.Labels ?? new Dictionary<string, string>();
            parameters.Labels[CreationIdLabel] = creationId;
            string what = "create a container from " + spec.Image;
            try
            {
                string id = await Send(what, async ct => (await _docker.Containers.CreateContainerAsync(parameters, ct).ConfigureAwait(false)).ID,
                    e => CreateFailed(spec, what, e), cancellationToken).ConfigureAwait(false);
                return new CreatedContainer(id, creationId);
            }
            catch (FailureException e) when (e.Kind == ErrorCatalog.EngineTimeout || e.Kind == ErrorCatalog.NotAContainerEngine)
            {
                throw new FailureException(e.Kind, e.Message + " " + await RemoveUnconfirmedAsync(creationId, CancellationToken.None).ConfigureAwait(false), e);
            }
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped while the engine may be creating it: the clean-up gets one timeout of its own.
                using (var deadline = new CancellationTokenSource(Timeout))
                    throw new StoppedException($"The create of {spec.Name ?? "a container"} was stopped. " + await RemoveUnconfirmedAsync(creationId, deadline.Token).ConfigureAwait(false), e);
            }
        }

        /// <summary>
        /// Removes (forced) every container carrying <paramref name="creationId"/>: what one create made, whatever
        /// id its reply named. Returns the ids removed; none when the engine has no such container.
        /// </summary>
        /// <exception cref="FailureException">ContainerListFailed, ContainerRemoveFailed, EngineTimeout.</exception>
        public async Task<IReadOnlyList<string>> RemoveCreatedAsync(string creationId, CancellationToken cancellationToken)
        {
            var filter = new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [CreationIdLabel + "=" + creationId] = true } },
            };
            IList<ContainerListResponse> made = await Send("list containers", ct => _docker.Containers.ListContainersAsync(filter, ct),
                ErrorCatalog.ContainerListFailed, cancellationToken).ConfigureAwait(false);
            foreach (ContainerListResponse c in made) await RemoveContainerAsync(c.ID, true, cancellationToken).ConfigureAwait(false);
            return made.Select(c => c.ID).ToList();
        }

        private static Exception CreateFailed(ContainerSpec spec, string what, DockerApiException e)
        {
            if (e.StatusCode == System.Net.HttpStatusCode.Conflict || EngineErrors.Message(e).Contains("already in use"))
                return new FailureException(ErrorCatalog.ContainerNameInUse, $"A container named '{spec.Name}' already exists: {EngineErrors.Message(e)}", e);
            if (EngineErrors.IsNotFound(e))
                return new FailureException(ErrorCatalog.ImageNotFound, $"The engine has no image {spec.Image}: {EngineErrors.Message(e)}", e);
            return Failed(ErrorCatalog.ContainerCreationFailed, what, e);
        }

        // A create whose reply never arrived: what it made is found by its creation id, looked for until it appears
        // or UnconfirmedCreateWatch has passed (the engine may still be working on the request). After a removal the
        // look is repeated until one finds nothing: dockerd can list a container its create is still registering,
        // and the remove then answers "no such container" (taken as gone) just before the create completes.
        private async Task<string> RemoveUnconfirmedAsync(string creationId, CancellationToken cancellationToken)
        {
            var removed = new List<string>();
            try
            {
                for (var watch = Stopwatch.StartNew(); ; await Task.Delay(s_unconfirmedCreatePoll, cancellationToken).ConfigureAwait(false))
                {
                    IReadOnlyList<string> found = await RemoveCreatedAsync(creationId, cancellationToken).ConfigureAwait(false);
                    removed.AddRange(found.Except(removed).ToList());
                    if (found.Count == 0 && removed.Count > 0)
                        return "It had been created anyway and was removed: " + string.Join(", ", removed.Select(EngineErrors.Short)) + ".";
                    if (watch.Elapsed < UnconfirmedCreateWatch) continue;
                    if (removed.Count == 0)
                        return $"The engine had not created it within {UnconfirmedCreateWatch.TotalSeconds:0} s (were it to do so later, the container carries the label {CreationIdLabel}={creationId}).";
                    return $"It had been created anyway; its removal was asked but the engine still lists {string.Join(", ", removed.Select(EngineErrors.Short))} (label {CreationIdLabel}={creationId}).";
                }
            }
            catch (Exception e) when (e is FailureException || e is OperationCanceledException)
            {
                return $"Whether the engine created it is unknown (label {CreationIdLabel}={creationId}): {e.Message}";
            }
        }
    }
}
