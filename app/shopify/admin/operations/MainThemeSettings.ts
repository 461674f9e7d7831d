/** The published theme's settings_data.json, where Shopify records which app embeds are switched on (needs read_themes). */
export const document = /* GraphQL */ `
  query MainThemeSettings {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        id
        files(filenames: ["config/settings_data.json"], first: 1) {
          nodes {
            body {
              ... on OnlineStoreThemeFileBodyText {
                content
              }
            }
          }
        }
      }
    }
  }
`;

export interface MainThemeSettingsData {
  themes: { nodes: { id: string; files: { nodes: { body: { content?: string } }[] } | null }[] };
}
