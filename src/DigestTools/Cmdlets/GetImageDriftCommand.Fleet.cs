using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Fleet;

namespace DigestTools
{
    // Get-ImageDrift -Service (Swarm services instead of containers) and -EngineUri a,b (every engine at once).
    // One set of registry lookups serves every engine, so a tag that many engines follow is asked once.
    public sealed partial class GetImageDriftCommand
    {
        /// <summary>Swarm services instead of containers: the names given (-Container) are service names or ids; none: every service.</summary>
        [Parameter]
        public SwitchParameter Service { get; set; }

        private void CheckEveryEngine()
        {
            using (var session = new FleetSession(this, EngineUri ?? new string[] { null }, TimeSpan.FromSeconds(TimeoutSec)))
            using (var lookups = new DriftRegistryLookups(RegistryOptions.For(Credential, InsecureRegistry, TimeoutSec, Log), ThrottleLimit, Log))
            {
                EngineFleet fleet = session.Fleet;
                if (Service.IsPresent)
                {
                    var outcomes = Run(ct => fleet.OnEachAsync(e => new ServiceDriftCheck(e.Client, lookups).CheckAsync(_containers, ct)));
                    foreach (FleetOutcome<IReadOnlyList<ServiceDriftResult>> outcome in outcomes)
                    {
                        if (outcome.Failure != null) { WriteError(FleetErrors.For(outcome)); continue; }
                        foreach (ServiceDriftResult result in outcome.Result) Write(result);
                    }
                }
                else
                {
                    var outcomes = Run(ct => fleet.OnEachAsync(e => new DriftCheck(e.Client, lookups).CheckAsync(_containers, All.IsPresent, ct)));
                    foreach (FleetOutcome<IReadOnlyList<DriftResult>> outcome in outcomes)
                    {
                        if (outcome.Failure != null) { WriteError(FleetErrors.For(outcome)); continue; }
                        foreach (DriftResult result in outcome.Result) Write(result);
                    }
                }
                WriteVerbose($"{fleet.Connected.Count()} engine(s) checked with {lookups.TagLookups} tag resolution(s) and {lookups.DigestLookups} digest check(s).");
            }
        }
    }
}
