import { IntegrationSlackChannel } from "@cdktf/provider-datadog/lib/integration-slack-channel";
import { Construct } from "../core";
import type { SlackRouting } from "./slack-routing";

/**
 * The Slack channels the monitors mention, declared in Datadog's Slack integration so a renamed
 * or missing channel shows up in a plan rather than as alerts that go nowhere.
 * @see https://registry.terraform.io/providers/DataDog/datadog/latest/docs/resources/integration_slack_channel
 */
export class SlackChannels extends Construct {
  constructor(scope: Construct, id: string, routing: SlackRouting) {
    super(scope, id);
    const channels = [...new Set(Object.values(routing.channels))];
    for (const channel of channels) {
      new IntegrationSlackChannel(this, channel, {
        accountName: routing.account,
        channelName: `#${channel}`,
        display: { message: true, notified: true, snapshot: true, tags: true, muteButtons: true },
      });
    }
  }
}
